import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compiledModule, findPackageRoot, packagePath, packageRoot, packageVersion } from "../src/package-root.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

test("the package root is the first folder above that holds package.json", () => {
  const exists = (path: string) => path === join("/a", "pkg", "package.json");
  assert.equal(findPackageRoot(join("/a", "pkg", "dist", "cli", "chunks"), exists), join("/a", "pkg"));
  assert.equal(findPackageRoot(join("/a", "pkg", "dist", "src", "runtime", "node"), exists), join("/a", "pkg"));
  assert.throws(() => findPackageRoot(join("/b", "c"), exists), /package\.json was not found above/);
});

test("from dist/src the package's files are found at the repository root", () => {
  assert.equal(join(packageRoot(), "/"), join(ROOT, "/"));
  assert.ok(existsSync(packagePath("templates", "typescript")));
  assert.ok(existsSync(packagePath("python", "endpoint_kit_worker.py")));
  assert.ok(existsSync(compiledModule("runtime/node/worker-main.js")));
  assert.match(packageVersion(), /^\d+\.\d+\.\d+/);
});
