/**
 * The checksum Dify gives a plugin (the part after `@` in `author/name:version@checksum`): over every
 * file, keyed by its `/`-separated path and sorted by the path's bytes, the SHA-256 of the
 * concatenated `sha256(path) ‖ sha256(content)`. Only names and contents count: never order on disk,
 * times, modes or compression, and for a package never the zip comment.
 */
import { createHash } from "node:crypto";

/** One file as the checksum sees it: its path and the SHA-256 of its bytes. */
export interface DigestedFile {
  path: string;
  sha256: Uint8Array;
}

/** SHA-256 of some bytes. */
export function sha256(data: Uint8Array | string): Buffer {
  return createHash("sha256").update(data).digest();
}

/** Compares two strings by their UTF-8 bytes, as Go sorts strings (JavaScript's `<` compares UTF-16 units). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Dify's checksum (lower-case hex) of a set of files; a path given twice keeps its last content, as Go's map does. */
export function pluginChecksum(files: Iterable<DigestedFile>): string {
  const byPath = new Map<string, Uint8Array>();
  for (const file of files) byPath.set(file.path, file.sha256);
  const outer = createHash("sha256");
  for (const path of [...byPath.keys()].sort(compareBytes)) {
    outer.update(sha256(path));
    outer.update(byPath.get(path)!);
  }
  return outer.digest("hex");
}
