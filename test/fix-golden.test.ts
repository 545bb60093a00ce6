/**
 * Golden files for `validate --fix`. Every validate golden case (`test/fixtures/golden/<rule>/<case>/`)
 * is the "before": it is copied to a temporary folder and fixed. When the fix changes anything,
 * `test/fixtures/fix/<rule>/<case>/` holds the "after": `files/` with every changed or created file
 * as it must end up, and `output.txt`, what `--fix` printed (each fix with its rule id, then what is
 * left). A case without such a folder must come out unchanged. Every rule that offers a fix has at
 * least one pair, a second `--fix` changes nothing, and `--fix-dry-run` writes nothing.
 *
 * After a deliberate change, rewrite the expected files with
 *   UPDATE_GOLDEN=1 node --test dist/test/fix-golden.test.js
 * and review the diff of `test/fixtures/fix/`.
 */
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, describe, test } from "node:test";
import { REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";

const GOLDEN_DIR = join(REPO_ROOT, "test", "fixtures", "golden");
const FIX_DIR = join(REPO_ROOT, "test", "fixtures", "fix");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
/** The rules that offer a fix; each needs a before/after pair. */
const FIXABLE = ["endpoint-method", "endpoint-path", "file-reference", "group-settings", "i18n", "manifest-meta", "manifest-permission", "manifest-version", "setting-options", "setting-type", "unknown-key"];

const temp = await mkdtemp(join(tmpdir(), "ek-fix-golden-"));
after(() => rm(temp, { recursive: true, force: true }));

/** Every file under `dir` (relative path -> text). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split("\\").join("/"), await readFile(path, "utf8"));
  }
  return files;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): Map<string, string> {
  return new Map([...after].filter(([path, text]) => before.get(path) !== text));
}

function readArgs(dir: string): string[] {
  const file = join(dir, "args.txt");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((line) => line !== "") : [];
}

const cases = readdirSync(GOLDEN_DIR).sort().flatMap((rule) => readdirSync(join(GOLDEN_DIR, rule)).sort().map((name) => ({ rule, name })));

describe("validate --fix golden files", () => {
  test("every rule that offers a fix has a before/after pair, and every pair has its before", () => {
    const pairs = existsSync(FIX_DIR) ? readdirSync(FIX_DIR).flatMap((rule) => readdirSync(join(FIX_DIR, rule)).map((name) => `${rule}/${name}`)) : [];
    for (const rule of FIXABLE) assert.ok(pairs.some((p) => p.startsWith(`${rule}/`)), `no fix pair for ${rule}`);
    for (const pair of pairs) assert.ok(existsSync(join(GOLDEN_DIR, pair)), `${pair} has no golden case`);
  });

  for (const { rule, name } of cases) {
    test(`${rule}/${name}`, async () => {
      const dir = join(temp, rule, name);
      await cp(join(GOLDEN_DIR, rule, name), dir, { recursive: true });
      await rm(join(dir, "expected.txt"));
      const args = readArgs(join(GOLDEN_DIR, rule, name));
      await rm(join(dir, "args.txt"), { force: true });
      const original = await snapshot(dir);

      // The dry run writes nothing, and shows a diff exactly when --fix will change something.
      const dry = await runCliCaptured(["validate", "--fix-dry-run", ...args, "."], { cwd: dir });
      assert.deepEqual(await snapshot(dir), original, "--fix-dry-run wrote nothing");

      const run = await runCliCaptured(["validate", "--fix", "--no-color", ...args, "."], { cwd: dir });
      const changed = changedFiles(original, await snapshot(dir));
      const expectedDir = join(FIX_DIR, rule, name);
      if (UPDATE) {
        await rm(expectedDir, { recursive: true, force: true });
        if (changed.size > 0) {
          for (const [path, text] of changed) {
            await mkdir(dirname(join(expectedDir, "files", path)), { recursive: true });
            await writeFile(join(expectedDir, "files", path), text);
          }
          await writeFile(join(expectedDir, "output.txt"), run.stdout);
        }
      }
      assert.equal(run.stderr, "", "nothing on stderr");
      assert.equal(dry.stdout === "", changed.size === 0, "a diff exactly when files change");
      if (!existsSync(expectedDir)) {
        assert.equal(changed.size, 0, `--fix changed ${[...changed.keys()].join(", ")}`);
        assert.doesNotMatch(run.stdout, /^fixed /m);
        return;
      }
      assert.deepEqual(changed, await snapshot(join(expectedDir, "files")), "the fixed files");
      assert.equal(run.stdout, readFileSync(join(expectedDir, "output.txt"), "utf8"));
      assert.match(run.stdout, /^fixed \S+: .+ \[[a-z0-9-]+\]$/m, "each fix is listed with its rule id");

      // Idempotent: a second run finds nothing to fix and changes no byte.
      const fixed = await snapshot(dir);
      const again = await runCliCaptured(["validate", "--fix", "--no-color", ...args, "."], { cwd: dir });
      assert.doesNotMatch(again.stdout, /^fixed /m);
      assert.deepEqual(await snapshot(dir), fixed);
      const dryAgain = await runCliCaptured(["validate", "--fix-dry-run", ...args, "."], { cwd: dir });
      assert.equal(dryAgain.stdout, "");
    });
  }
});
