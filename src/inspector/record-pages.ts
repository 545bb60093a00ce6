/**
 * Where the inspector keeps finished records: written as bytes into pages of 64 KB, not kept as
 * objects. A record outlives the next thousand requests, so as objects (about twenty of them, a
 * kilobyte) it was copied by every young-generation collection it lived through, then promoted and
 * marked: under load that cost more than capturing it. Bytes in a page are not objects: the
 * collector never looks inside them. A record is then a handle, a small integer (page and offset),
 * and is read back into objects only when something asks (the API, the page, an export).
 *
 * Pages go once no record in them is left. Everything is written in the order records finish and
 * dropped in the order they are evicted, so the pages alive are those of the records kept.
 */

const PAGE_BYTES = 64 * 1024;
/**
 * Pages a handle can tell apart: `page * 65536 + offset` stays below 2^30, a small integer on every
 * V8 build (a larger number would be an object again). That is a gigabyte of records.
 */
const PAGE_SERIALS = 1 << 14;
const ASCII_MAX = 0x7f;
/** A string shorter than this, all ASCII, is a length byte and its bytes; any other, this byte, a u32 length and UTF-8. */
const SHORT = 0xff;
/** Pages let go that are kept for reuse: enough for the turnover of a busy store. */
const SPARE_PAGES = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes one record's fields, in the order its reader takes them. */
export interface PageWriter {
  u8(value: number): void;
  u32(value: number): void;
  f64(value: number): void;
  /** A string, UTF-8 (most are ASCII and copied byte by byte). */
  str(value: string): void;
  bytes(value: Uint8Array): void;
  /** An object kept by reference (the settings a handler was given: one per reload, shared by many records). */
  ref(value: object): void;
}

/** Reads a record's fields back, in the order they were written. */
export interface PageReader {
  u8(): number;
  u32(): number;
  f64(): number;
  str(): string;
  /** A copy: the page is reused once its records are gone. */
  bytes(): Uint8Array;
  ref(): object;
}

/** A place in a page: where the writer and the reader are. */
class Cursor {
  page: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.page.buffer);
  at = 0;

  moveTo(page: Uint8Array, view: DataView, at: number): void {
    this.page = page;
    this.view = view;
    this.at = at;
  }
}

class Writer extends Cursor implements PageWriter {
  /** Bytes the record needed beyond its page (it is then written again into a page that fits it). */
  over = 0;
  /** The objects this page's records refer to. */
  private refs: object[] = [];
  private lastRef: object | undefined;
  private lastRefIndex = -1;

  start(page: Uint8Array, view: DataView, at: number, refs: object[]): void {
    this.moveTo(page, view, at);
    this.over = 0;
    if (refs !== this.refs) {
      this.refs = refs;
      this.lastRef = undefined;
    }
  }

  // Each write checks its room inline and writes integers byte by byte: this runs for every request
  // `dev` serves, and small methods that TurboFan inlines whole cost a fraction of DataView calls.

  u8(value: number): void {
    const at = this.at;
    if (at + 1 > this.page.length) return void (this.over += 1);
    this.page[at] = value;
    this.at = at + 1;
  }

  u32(value: number): void {
    const at = this.at;
    const page = this.page;
    if (at + 4 > page.length) return void (this.over += 4);
    page[at] = value >>> 24;
    page[at + 1] = value >>> 16;
    page[at + 2] = value >>> 8;
    page[at + 3] = value;
    this.at = at + 4;
  }

  f64(value: number): void {
    const at = this.at;
    if (at + 8 > this.page.length) return void (this.over += 8);
    this.view.setFloat64(at, value);
    this.at = at + 8;
  }

  str(value: string): void {
    const length = value.length;
    const at = this.at;
    const page = this.page;
    // At most three bytes of UTF-8 per UTF-16 unit; ASCII (most headers, paths, ids) is one.
    if (at + 5 + length * 3 > page.length) return void (this.over += 5 + length * 3);
    if (length >= SHORT) return this.longStr(value);
    const start = at + 1;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > ASCII_MAX) return this.longStr(value);
      page[start + i] = code;
    }
    page[at] = length;
    this.at = start + length;
  }

  /** A string of SHORT units or more, or not ASCII: a marker, its UTF-8 length, its UTF-8. */
  private longStr(value: string): void {
    const at = this.at;
    const written = encoder.encodeInto(value, this.page.subarray(at + 5)).written;
    this.page[at] = SHORT;
    this.at = at + 1;
    this.u32(written);
    this.at += written;
  }

  bytes(value: Uint8Array): void {
    const length = value.byteLength;
    if (this.at + 4 + length > this.page.length) return void (this.over += 4 + length);
    this.u32(length);
    if (length > 0) this.page.set(value, this.at);
    this.at += length;
  }

  ref(value: object): void {
    if (value !== this.lastRef) {
      this.lastRef = value;
      this.lastRefIndex = this.refs.indexOf(value);
      if (this.lastRefIndex === -1) this.lastRefIndex = this.refs.push(value) - 1;
    }
    this.u32(this.lastRefIndex);
  }
}

class Reader extends Cursor implements PageReader {
  refs: object[] = [];

  u8(): number {
    return this.page[this.at++]!;
  }

  u32(): number {
    const value = this.view.getUint32(this.at);
    this.at += 4;
    return value;
  }

  f64(): number {
    const value = this.view.getFloat64(this.at);
    this.at += 8;
    return value;
  }

  str(): string {
    const length = this.page[this.at++]!;
    if (length === SHORT) return decoder.decode(this.lengthPrefixed());
    const bytes = this.page.subarray(this.at, this.at + length);
    this.at += length;
    return decoder.decode(bytes);
  }

  bytes(): Uint8Array {
    return this.lengthPrefixed().slice();
  }

  ref(): object {
    return this.refs[this.u32()]!;
  }

  private lengthPrefixed(): Uint8Array {
    const length = this.u32();
    const bytes = this.page.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }
}

/** One page: its bytes, and what its records share. */
class Page {
  readonly view: DataView;
  /** The objects its records refer to (settings: one per YAML or settings edit); they go with the page. */
  readonly refs: object[] = [];
  /** Records alive in it. */
  live = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer);
  }
}

export class RecordPages {
  private pages: Page[] = [];
  /** The serial number of `pages[0]`; each page opened takes the next. */
  private firstSerial = 0;
  /** Bytes written in the last page (a page of one large record counts as full). */
  private used = 0;
  /** Pages of the usual size let go, kept to be written again (a new one is zeroed and accounted for). */
  private spare: Uint8Array[] = [];
  private readonly writer = new Writer();
  private readonly reader = new Reader();

  /** Writes one record; its handle, or -1 when the pages cannot take more (it then stays an object). */
  add(record: { writeTo(writer: PageWriter): void }): number {
    const writer = this.writer;
    const last = this.pages.at(-1);
    if (last !== undefined && this.used < last.bytes.byteLength) {
      const start = this.used;
      writer.start(last.bytes, last.view, start, last.refs);
      record.writeTo(writer);
      if (writer.over === 0) return this.commit(start);
      // Did not fit: a new page, of the size it needs if that is more than a page.
      if (!this.open(Math.max(PAGE_BYTES, writer.at - start + writer.over))) return -1;
    } else if (!this.open(PAGE_BYTES)) return -1;
    let page = this.pages.at(-1)!;
    writer.start(page.bytes, page.view, 0, page.refs);
    record.writeTo(writer);
    if (writer.over > 0) {
      // Larger than a page: this (fresh, empty) page is replaced by one of its size.
      const needed = writer.at + writer.over;
      this.pages.pop();
      this.open(needed);
      page = this.pages.at(-1)!;
      writer.start(page.bytes, page.view, 0, page.refs);
      record.writeTo(writer);
    }
    return this.commit(0);
  }

  /** The reader, at the record `handle`. */
  read(handle: number): PageReader {
    const page = this.pages[this.indexOf(handle)]!;
    this.reader.moveTo(page.bytes, page.view, handle & 0xffff);
    this.reader.refs = page.refs;
    return this.reader;
  }

  /** The record at `handle` is gone: its page goes with the last of its records. */
  release(handle: number): void {
    this.pages[this.indexOf(handle)]!.live -= 1;
    // Leading pages with nothing left go; the page being written stays.
    while (this.pages.length > 1 && this.pages[0]!.live === 0) {
      const bytes = this.pages.shift()!.bytes;
      if (bytes.byteLength === PAGE_BYTES && this.spare.length < SPARE_PAGES) this.spare.push(bytes);
      this.firstSerial += 1;
    }
  }

  /** Every record gone. */
  clear(): void {
    this.firstSerial += this.pages.length;
    this.pages = [];
    this.used = 0;
  }

  /** Pages alive. */
  get pageCount(): number {
    return this.pages.length;
  }

  private open(size: number): boolean {
    if (this.pages.length >= PAGE_SERIALS) return false;
    this.pages.push(new Page((size === PAGE_BYTES ? this.spare.pop() : undefined) ?? new Uint8Array(size)));
    this.used = 0;
    return true;
  }

  /** The record just written at `offset` of the last page: its handle. */
  private commit(offset: number): number {
    const index = this.pages.length - 1;
    const page = this.pages[index]!;
    page.live += 1;
    this.used = page.bytes.byteLength === PAGE_BYTES ? this.writer.at : page.bytes.byteLength;
    return ((this.firstSerial + index) % PAGE_SERIALS) * 0x10000 + offset;
  }

  private indexOf(handle: number): number {
    return ((handle >>> 16) - (this.firstSerial % PAGE_SERIALS) + PAGE_SERIALS) % PAGE_SERIALS;
  }
}
