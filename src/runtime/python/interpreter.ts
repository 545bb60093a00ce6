/**
 * Where the Python worker comes from: which interpreter runs it, and where its script is shipped
 * (`python/` at the package root).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { packagePath } from "../../package-root.js";

/** `options.python`, else the plugin's own virtualenv, else `python3` from PATH. */
export function choosePython(root: string, python?: string, exists: (path: string) => boolean = existsSync): string {
  if (python) return python;
  const venv = process.platform === "win32" ? join(root, ".venv", "Scripts", "python.exe") : join(root, ".venv", "bin", "python");
  return exists(venv) ? venv : "python3";
}

/** The worker script, shipped in `python/` at the package root. */
export function findWorkerScript(): string {
  return packagePath("python", "endpoint_kit_worker.py");
}
