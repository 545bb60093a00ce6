/**
 * Writes a `.difypkg` zip laid out as Go's `zip.Writer.Create` lays out Dify's own packages: entries
 * in the order given, Deflate, a data descriptor after each entry (flag 0x8), DOS time and date 0,
 * no extra fields, external attributes 0, "version made by" 2.0, the UTF-8 flag only for non-ASCII
 * names, and an optional archive comment (where Dify keeps the signature). Same input, same bytes.
 */
import { crc32, deflateRawSync } from "node:zlib";

/** One file of the archive: a `/`-separated path and its bytes. */
export interface ZipInput {
  path: string;
  data: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20;
const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const DEFLATE = 8;
/** Without zip64 (Dify's packages never need it), sizes, offsets and counts have these limits. */
const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

/** Builds the archive in memory; throws a `RangeError` past the classic zip limits (4 GiB, 65,535 entries). */
export function writeZip(files: readonly ZipInput[], comment = ""): Buffer {
  if (files.length > MAX_ENTRIES) throw new RangeError(`a package holds at most ${MAX_ENTRIES} files`);
  const commentBytes = Buffer.from(comment, "utf8");
  if (commentBytes.length > 0xffff) throw new RangeError("the zip comment is longer than 65,535 bytes");
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.path, "utf8");
    const flags = FLAG_DATA_DESCRIPTOR | (needsUtf8Flag(file.path) ? FLAG_UTF8 : 0);
    const compressed = deflateRawSync(file.data);
    const crc = crc32(file.data);
    if (file.data.length > MAX_32 || compressed.length > MAX_32 || offset > MAX_32) throw new RangeError(`${file.path}: the package would exceed 4 GiB`);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(DEFLATE, 8);
    // Time, date, CRC and sizes stay 0 here: the data descriptor after the data carries them.
    local.writeUInt16LE(name.length, 26);

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(compressed.length, 8);
    descriptor.writeUInt32LE(file.data.length, 12);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(DEFLATE, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(file.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);

    chunks.push(local, name, compressed, descriptor);
    offset += local.length + name.length + compressed.length + descriptor.length;
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length > MAX_32) throw new RangeError("the package would exceed 4 GiB");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...chunks, directory, end, commentBytes]);
}

// Go's rule: the flag is set when a name leaves the ASCII range that legacy code pages agree on
// (below 0x20, above 0x7d, or a backslash).
function needsUtf8Flag(name: string): boolean {
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code > 0x7d || code === 0x5c) return true;
  }
  return false;
}
