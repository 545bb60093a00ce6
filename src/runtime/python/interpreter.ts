/**
 * Where the Python worker comes from: which interpreter runs it, and where its script is shipped
 * (`python/` at the package root, beside `dist/`).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** `options.python`, else the plugin's own virtualenv, else `python3` from PATH. */
export function choosePython(root: string, python?: string, exists: (path: string) => boolean = existsSync): string {
  if (python) return python;
  const venv = process.platform === "win32" ? join(root, ".venv", "Scripts", "python.exe") : join(root, ".venv", "bin", "python");
  return exists(venv) ? venv : "python3";
}

/** The worker script, found by walking up from this module to the package root. */
export function findWorkerScript(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let folder = from;
  for (;;) {
    const script = join(folder, "python", "endpoint_kit_worker.py");
    if (existsSync(script)) return script;
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`python/endpoint_kit_worker.py not found above ${from}`);
    folder = parent;
  }
}
