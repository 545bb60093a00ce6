/**
 * Reading a `.difypkg` from disk for `checksum` and `verify`: its entries under the names Dify's zip
 * decoder walks them by, and the checks that decoder would fail on (folder entries, no manifest).
 */
import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { EnvironmentError, InputError } from "../errors.js";
import { readZip, ZipFormatError, type ZipArchive } from "./zip-read.js";

/** Reading a package for a checksum or a signature check never inflates more than this. */
export const MAX_READ_BYTES = 1024 * 1024 * 1024;

/** Reads and decodes a package; a damaged or foreign zip is an `InputError` naming the reason. */
export async function readPackageFile(path: string, shown: string): Promise<ZipArchive> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new EnvironmentError(`${shown}: cannot read the package (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let archive: ZipArchive;
  try {
    archive = readZip(bytes, MAX_READ_BYTES);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new InputError(`${shown}: ${error.message}`);
    throw error;
  }
  for (const entry of archive.entries) {
    // Dify's decoder reads every entry as a file; a folder entry fails it (dify#19319).
    if (entry.name.endsWith("/")) throw new InputError(`${shown}: the entry ${entry.name} is a folder; Dify fails on it with "read ${entry.name.slice(0, -1)}: is a directory"`, "repackage it with `endpoint-kit package`");
  }
  if (!archive.entries.some((e) => e.name === "manifest.yaml")) throw new InputError(`${shown}: no manifest.yaml at the root of the package (Dify fails with "open manifest.yaml: file does not exist")`);
  return archive;
}

/** The key Dify's checksum uses for an entry: Go's `path.Join(dir, name)`, which cleans the path. */
export function entryKey(name: string): string {
  const cleaned = posix.normalize(name);
  return cleaned.length > 1 && cleaned.endsWith("/") ? cleaned.slice(0, -1) : cleaned;
}
