/**
 * Reads a `.difypkg` (an untrusted zip) into its entries, in archive order, and its comment: what
 * `checksum` and `verify` need. Stored and Deflate entries only, no zip64 or encryption (Dify's
 * packages use neither); every bound, size and CRC is checked, and the declared uncompressed total
 * is capped before anything is inflated, as the daemon caps it on upload.
 */
import { crc32, inflateRawSync } from "node:zlib";

/** One entry of the archive. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** The archive comment (Dify's signature), decoded as UTF-8. */
  comment: string;
}

/** A package that cannot be read; the message says why. */
export class ZipFormatError extends Error {}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;

/** Parses the archive; throws `ZipFormatError`. `maxTotal` caps the sum of declared uncompressed sizes. */
export function readZip(bytes: Buffer, maxTotal: number): ZipArchive {
  const endAt = findEndOfCentralDirectory(bytes);
  const count = bytes.readUInt16LE(endAt + 10);
  const size = bytes.readUInt32LE(endAt + 12);
  const start = bytes.readUInt32LE(endAt + 16);
  const commentLength = bytes.readUInt16LE(endAt + 20);
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) throw new ZipFormatError("zip64 archives are not supported");
  if (start + size > endAt) throw new ZipFormatError("the central directory lies outside the file");
  const comment = bytes.subarray(endAt + 22, endAt + 22 + commentLength).toString("utf8");
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = start;
  for (let i = 0; i < count; i++) {
    need(bytes, at, 46);
    if (bytes.readUInt32LE(at) !== CENTRAL_HEADER) throw new ZipFormatError(`entry ${i + 1}: bad central directory header`);
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const uncompressedSize = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const entryCommentLength = bytes.readUInt16LE(at + 32);
    const localAt = bytes.readUInt32LE(at + 42);
    need(bytes, at + 46, nameLength);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    at += 46 + nameLength + extraLength + entryCommentLength;
    if (flags & 0x1) throw new ZipFormatError(`${name}: encrypted entries are not supported`);
    if (method !== 0 && method !== 8) throw new ZipFormatError(`${name}: compression method ${method} is not supported`);
    total += uncompressedSize;
    if (total > maxTotal) throw new ZipFormatError(`the package is larger than ${maxTotal} bytes uncompressed`);
    need(bytes, localAt, 30);
    if (bytes.readUInt32LE(localAt) !== LOCAL_HEADER) throw new ZipFormatError(`${name}: bad local header`);
    const dataAt = localAt + 30 + bytes.readUInt16LE(localAt + 26) + bytes.readUInt16LE(localAt + 28);
    need(bytes, dataAt, compressedSize);
    const raw = bytes.subarray(dataAt, dataAt + compressedSize);
    let data: Buffer;
    try {
      data = method === 0 ? Buffer.from(raw) : inflateRawSync(raw, { maxOutputLength: Math.max(1, uncompressedSize) });
    } catch (error) {
      throw new ZipFormatError(`${name}: cannot inflate (${(error as Error).message})`);
    }
    if (data.length !== uncompressedSize) throw new ZipFormatError(`${name}: size does not match the directory`);
    if (crc32(data) !== crc) throw new ZipFormatError(`${name}: CRC-32 does not match (the file is damaged)`);
    // As Go's reader does, the data descriptor's CRC (after the data, its signature optional) must agree.
    if (flags & 0x8) {
      let descriptorAt = dataAt + compressedSize;
      need(bytes, descriptorAt, 12);
      if (bytes.readUInt32LE(descriptorAt) === DATA_DESCRIPTOR) descriptorAt += 4;
      need(bytes, descriptorAt, 4);
      if (bytes.readUInt32LE(descriptorAt) !== crc) throw new ZipFormatError(`${name}: the data descriptor's CRC-32 does not match (the file is damaged)`);
    }
    entries.push({ name, data });
  }
  return { entries, comment };
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY && at + 22 + bytes.readUInt16LE(at + 20) === bytes.length) return at;
  }
  throw new ZipFormatError("not a valid difypkg file (no zip end record)");
}

function need(bytes: Buffer, at: number, length: number): void {
  if (at + length > bytes.length) throw new ZipFormatError("the file is truncated");
}
