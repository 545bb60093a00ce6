/**
 * The one file Dify's packager generates: for a Python plugin with no `requirements.txt` but a
 * `pyproject.toml` and a `uv.lock`, it adds the output of `uv export` as `requirements.txt` (the
 * daemon installs from that file). Same command, same flags, so the package and its identity match.
 */
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { EnvironmentError, InputError } from "../errors.js";

export const GENERATED_REQUIREMENTS = "requirements.txt";
const UV_ARGS = ["export", "--frozen", "--format", "requirements.txt", "--no-group", "dev", "--no-emit-project", "--no-hashes", "--no-header", "--no-annotate"];

/** Whether Dify would generate `requirements.txt`: it looks at the folder on disk, whatever the ignore file says. */
export async function needsGeneratedRequirements(root: string, language: string | undefined): Promise<boolean> {
  if (language !== "python") return false;
  const exists = (name: string) => stat(join(root, name)).then(() => true, () => false);
  return !(await exists(GENERATED_REQUIREMENTS)) && (await exists("pyproject.toml")) && (await exists("uv.lock"));
}

/** Runs `uv export` in the plugin folder (`UV_PATH`, else `uv` on the PATH) and returns its output. */
export function exportRequirements(root: string, env: Record<string, string | undefined>): Promise<Buffer> {
  const uv = env.UV_PATH || "uv";
  return new Promise((resolve, reject) => {
    execFile(uv, UV_ARGS, { cwd: root, encoding: "buffer", maxBuffer: 16 * 1024 * 1024, env: env as NodeJS.ProcessEnv }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return reject(new EnvironmentError(`cannot find uv (${uv}) to export requirements.txt from uv.lock`, "install uv, set UV_PATH, or commit a requirements.txt (Dify's packager needs one of them too)"));
      }
      reject(new InputError(`uv export failed: ${stderr.toString("utf8").trim() || error.message}`, "run `uv lock` if uv.lock is out of date"));
    });
  });
}
