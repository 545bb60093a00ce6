/**
 * Assembling a package from the selected files, the pure end of `package`: entries sorted by path
 * bytes, zipped, optionally signed (the verification entry last, the signature in the comment), and
 * the checksum Dify will compute for exactly those entries.
 */
import type { KeyObject } from "node:crypto";
import { compareBytes, pluginChecksum, sha256 } from "./checksum.js";
import { signEntries, type Category } from "./signature.js";
import { writeZip, type ZipInput } from "./zip-write.js";

export interface SignOptions {
  key: KeyObject;
  category: Category;
  /** Unix seconds written in the signature. */
  time: number;
}

export interface AssembledPackage {
  bytes: Buffer;
  /** The entries in archive order. */
  entries: ZipInput[];
  checksum: string;
  /** Sum of the entries' uncompressed sizes. */
  size: number;
}

/** Zips (and signs) the files; paths must be unique and `/`-separated. */
export function assemblePackage(files: readonly ZipInput[], sign?: SignOptions): AssembledPackage {
  let entries = [...files].sort((a, b) => compareBytes(a.path, b.path));
  let comment = "";
  if (sign) ({ files: entries, comment } = signEntries(entries, sign.key, sign.category, sign.time));
  return {
    bytes: writeZip(entries, comment),
    entries,
    checksum: pluginChecksum(entries.map((e) => ({ path: e.path, sha256: sha256(e.data) }))),
    size: entries.reduce((sum, e) => sum + e.data.length, 0),
  };
}
