/**
 * The inspector's record store: every request `dev` saw, kept in memory within a count and a byte
 * budget. When a bound is passed the oldest finished, unpinned records go first; pinned ones stay.
 * Pure (no `node:` import): capture fills records, the API reads them, listeners hear each change.
 * A capture record that can no longer change is kept as bytes in the record pages (`settle`) and
 * read back into an object each time it is asked for.
 */
import { readCapture, readKeptBytes } from "./record-codec.js";
import { RecordPages, type PageWriter } from "./record-pages.js";

export type HeaderList = Array<[string, string]>;
/** Headers as the pipeline holds them. */
export type ReadonlyHeaders = ReadonlyArray<readonly [string, string]>;

/** One chunk of a response body, with when it came (ms after the request arrived). */
export interface CapturedChunk {
  at: number;
  bytes: Uint8Array;
}

/** A handler's output line, kept with the request it belongs to. */
export interface CapturedLog {
  at: number;
  stream: "stdout" | "stderr";
  text: string;
}

/**
 * One request. Capture fills it with what the pipeline built (headers, values, the outcome), so it
 * holds raw values: secrets are masked when a record is read (API, search, export), never at capture
 * time. Capture's records build `request`, `handler` and `response` on each read: read them once.
 */
export interface CapturedRecord {
  id: number;
  /** Epoch milliseconds of arrival. */
  time: number;
  /** Which reload generation served it (1 = as started). */
  generation: number;
  /** The record this one replays. */
  replayOf?: number;
  pinned: boolean;
  done: boolean;
  request: { method: string; target: string; host: string; headers: ReadonlyHeaders; body?: Uint8Array; bodyTotal?: number };
  /** What the handler was given: the matched endpoint and values, the reshaped headers, the settings (only their names are ever shown). */
  handler?: { endpoint: string; rule: string; values: Readonly<Record<string, unknown>>; url?: string; headers?: ReadonlyHeaders; settings?: Readonly<Record<string, unknown>> };
  response?: { status: number; headers: ReadonlyHeaders; chunks: CapturedChunk[]; bytes: number; truncated: boolean };
  logs: CapturedLog[];
  outcome?: { status: number; endpoint?: string; ms: number; bytes: number; detail?: string; error?: string; cancelled?: boolean };
  /** Body bytes held, for a record that can tell without building its parts. */
  keptBytes?(): number;
  /** Writes the record into the store's pages (a record that can be settled). */
  writeTo?(writer: PageWriter): void;
}

/** What the live list shows of a record. */
export interface RecordSummary {
  id: number;
  time: number;
  method: string;
  target: string;
  endpoint?: string;
  status?: number;
  ms?: number;
  bytes?: number;
  pinned: boolean;
  done: boolean;
  generation: number;
  replayOf?: number;
}

/**
 * A change, as listeners hear it: the record itself, not its summary, so a change costs nothing
 * until a listener (the live page) decides to send it.
 */
export type StoreEvent = { type: "add" | "update"; record: CapturedRecord } | { type: "remove"; ids: number[] } | { type: "clear"; kept: number[] };

export interface StoreLimits {
  /** Most records kept. */
  maxRecords: number;
  /** Most body bytes kept over all records; one body keeps at most a quarter of it. */
  maxBytes: number;
}

/** Sized for a laptop: a busy afternoon of webhooks in well under the memory of one browser tab. */
export const DEFAULT_LIMITS: StoreLimits = { maxRecords: 1000, maxBytes: 64 * 1024 * 1024 };

export function summarize(record: CapturedRecord): RecordSummary {
  const status = record.outcome?.status ?? record.response?.status;
  const endpoint = record.outcome?.endpoint ?? record.handler?.endpoint;
  return {
    id: record.id, time: record.time, method: record.request.method, target: record.request.target,
    ...(endpoint !== undefined ? { endpoint } : {}), ...(status !== undefined ? { status } : {}),
    ...(record.outcome ? { ms: Math.round(record.outcome.ms * 10) / 10, bytes: record.outcome.bytes } : {}),
    pinned: record.pinned, done: record.done, generation: record.generation,
    ...(record.replayOf !== undefined ? { replayOf: record.replayOf } : {}),
  };
}

/** Body bytes a record holds. */
export function recordBytes(record: CapturedRecord): number {
  if (record.keptBytes) return record.keptBytes();
  return (record.request.body?.byteLength ?? 0) + (record.response?.bytes ?? 0);
}

export class RecordStore {
  /**
   * Oldest first from `head` (the slots before it are records already dropped); ids only grow, so
   * the array is sorted by id. A slot holds the record, or the handle of it in `pages` once it is
   * settled. Dropping the oldest moves `head` on: `shift()` moves every record when V8 cannot trim
   * the array in place (while the collector marks, often under capture).
   */
  private records: Array<CapturedRecord | number | undefined> = [];
  /** The id of each slot's record: a lookup reads only these (a settled record's id is in its page). */
  private ids: number[] = [];
  private head = 0;
  private readonly pages = new RecordPages();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private nextId = 1;
  private bytes = 0;

  constructor(readonly limits: StoreLimits = DEFAULT_LIMITS) {}

  /** The most body bytes one record keeps (the rest of a long body is counted, not kept). */
  get perBodyLimit(): number {
    return Math.max(1024, Math.floor(this.limits.maxBytes / 4));
  }

  /** Starts a record from its fields; the caller fills it and calls `changed` as it grows. */
  add(fields: Omit<CapturedRecord, "id" | "pinned" | "done" | "logs">): CapturedRecord {
    return this.insert({ id: 0, time: fields.time, generation: fields.generation, replayOf: fields.replayOf, pinned: false, done: false, request: fields.request, handler: fields.handler, response: fields.response, logs: [], outcome: fields.outcome });
  }

  /** Keeps a record built by the caller (capture builds its own, one object per request), giving it its id. */
  insert<R extends CapturedRecord>(record: R): R {
    record.id = this.nextId++;
    this.records.push(record);
    this.ids.push(record.id);
    this.bytes += recordBytes(record);
    if (this.listeners.size > 0) this.emit({ type: "add", record });
    this.evict();
    return record;
  }

  /** Accounts `addedBytes` more body bytes to `record` and tells listeners. */
  changed(record: CapturedRecord, addedBytes = 0): void {
    // Nobody to tell and nothing to account (most changes while no page is open): no lookup.
    if (addedBytes === 0 && !record.done && this.listeners.size === 0) return;
    // A record dropped (cleared) while in flight keeps filling, unseen.
    if (record.id === 0 || this.records[this.slotOf(record.id)] !== record) return;
    this.bytes += addedBytes;
    if (this.listeners.size > 0) this.emit({ type: "update", record });
    if (addedBytes > 0 || record.done) this.evict();
  }

  /**
   * The record will not change again (done, and no longer where its endpoint's late log lines go):
   * it is written into the pages and its object let go. A pinned one stays an object.
   */
  settle(record: CapturedRecord): void {
    if (!record.done || record.pinned || record.writeTo === undefined) return;
    const slot = this.slotOf(record.id);
    if (slot === -1 || this.records[slot] !== record) return;
    const handle = this.pages.add(record as Required<Pick<CapturedRecord, "writeTo">>);
    if (handle !== -1) this.records[slot] = handle;
  }

  get(id: number): CapturedRecord | undefined {
    const slot = this.slotOf(id);
    return slot === -1 ? undefined : this.recordAt(slot);
  }

  /** Newest first. */
  list(): CapturedRecord[] {
    const list: CapturedRecord[] = [];
    for (let slot = this.records.length - 1; slot >= this.head; slot--) list.push(this.recordAt(slot));
    return list;
  }

  get size(): number {
    return this.records.length - this.head;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  pin(id: number, pinned: boolean): CapturedRecord | undefined {
    const slot = this.slotOf(id);
    if (slot === -1) return undefined;
    // A pinned record stays as long as it is pinned: an object again, its page free to go.
    const entry = this.records[slot]!;
    const record = this.recordAt(slot);
    if (typeof entry === "number") {
      this.records[slot] = record;
      this.pages.release(entry);
    }
    record.pinned = pinned;
    this.emit({ type: "update", record });
    if (!pinned) this.evict();
    return record;
  }

  /** Drops every record that is not pinned (and records still in flight, which could not be replayed anyway). */
  clear(): void {
    const kept: CapturedRecord[] = [];
    for (let slot = this.head; slot < this.records.length; slot++) {
      const entry = this.records[slot]!;
      if (typeof entry !== "number" && entry.pinned) kept.push(entry);
    }
    this.records = kept;
    this.ids = kept.map((record) => record.id);
    this.head = 0;
    this.pages.clear();
    this.bytes = kept.reduce((n, record) => n + recordBytes(record), 0);
    this.emit({ type: "clear", kept: kept.map((record) => record.id) });
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The record in `slot`, read from the pages if it is settled (a new object each time). */
  private recordAt(slot: number): CapturedRecord {
    const entry = this.records[slot]!;
    return typeof entry === "number" ? readCapture(this.pages.read(entry)) : entry;
  }

  /** Where the record `id` is, or -1. */
  private slotOf(id: number): number {
    // Most lookups are of the newest records (capture's own changes): look there first.
    const ids = this.ids;
    const last = ids.length - 1;
    if (last >= this.head && ids[last] === id) return last;
    let low = this.head;
    let high = last;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = ids[mid]!;
      if (at === id) return mid;
      if (at < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** Oldest first, finished and unpinned only: a request in flight or pinned is never dropped. */
  private evict(): void {
    const records = this.records;
    const ids = this.ids;
    if (this.size <= this.limits.maxRecords && this.bytes <= this.limits.maxBytes) return;
    // The ids removed are gathered only for a listener: capture evicts one record per request.
    const removed: number[] | undefined = this.listeners.size > 0 ? [] : undefined;
    let at = this.head;
    while (at < records.length && (this.size > this.limits.maxRecords || this.bytes > this.limits.maxBytes)) {
      const entry = records[at]!;
      const id = ids[at]!;
      if (typeof entry === "number") {
        // Settled: done and not pinned.
        this.bytes -= readKeptBytes(this.pages.read(entry));
        this.pages.release(entry);
      } else {
        if (entry.pinned || !entry.done) {
          at++;
          continue;
        }
        this.bytes -= recordBytes(entry);
      }
      // The few records kept before it (pinned, in flight) move up one slot, and `head` past it.
      for (let i = at; i > this.head; i--) {
        records[i] = records[i - 1];
        ids[i] = ids[i - 1]!;
      }
      records[this.head++] = undefined;
      at++;
      removed?.push(id);
    }
    // The dropped slots go once they are half the array: a copy now and then, not one per request.
    if (this.head > 64 && this.head * 2 > records.length) {
      this.records = records.slice(this.head);
      this.ids = ids.slice(this.head);
      this.head = 0;
    }
    if (removed !== undefined && removed.length > 0) this.emit({ type: "remove", ids: removed });
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
