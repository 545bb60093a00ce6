/**
 * `endpoint-kit checksum <dir|pkg>`: the checksum Dify computes for a plugin folder (the files its
 * packager would take) or for a package (every entry, the verification file included).
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { EnvironmentError, EXIT, InputError } from "../errors.js";
import { pluginChecksum, sha256 } from "../package/checksum.js";
import { collectPluginFiles, readCollectedFiles } from "../package/collect.js";
import { entryKey, readPackageFile } from "../package/read-package.js";
import type { Io } from "../terminal/io.js";

export async function runChecksum(target: string, io: Io): Promise<number> {
  const path = resolve(io.cwd, target);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new EnvironmentError(`${target}: ${error.code === "ENOENT" ? "no such file or folder" : `cannot read it (${error.code ?? String(error)})`}`);
  });
  let checksum: string;
  if (info.isDirectory()) {
    const collection = await collectPluginFiles(path);
    if (!collection.files.some((f) => f.path === "manifest.yaml")) throw new InputError(`${target}: no manifest.yaml in the plugin folder (or the ignore file excludes it)`);
    const files = await readCollectedFiles(path, collection.files);
    checksum = pluginChecksum(files.map((f) => ({ path: f.path, sha256: sha256(f.data) })));
  } else {
    const archive = await readPackageFile(path, target);
    checksum = pluginChecksum(archive.entries.map((e) => ({ path: entryKey(e.name), sha256: sha256(e.data) })));
  }
  io.stdout.write(`${checksum}\n`);
  return EXIT.ok;
}
