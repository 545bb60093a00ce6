/**
 * The inspector's record store: every request `dev` saw, kept in memory within a count and a byte
 * budget. When a bound is passed the oldest finished, unpinned records go first; pinned ones stay.
 * Pure (no `node:` import): capture fills records, the API reads them, listeners hear each change.
 */

export type HeaderList = Array<[string, string]>;

/** One chunk of a response body, with when it came (ms after the request arrived). */
export interface CapturedChunk {
  at: number;
  bytes: Uint8Array;
}

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
  request: { method: string; target: string; host: string; headers: HeaderList; body?: Uint8Array; bodyTotal?: number };
  /** What the handler was given: the matched endpoint and values, the reshaped headers, the setting names. */
  handler?: { endpoint: string; rule: string; values: Record<string, unknown>; url?: string; headers?: HeaderList; settingNames?: string[] };
  response?: { status: number; headers: HeaderList; chunks: CapturedChunk[]; bytes: number; truncated: boolean };
  logs: Array<{ at: number; stream: "stdout" | "stderr"; text: string }>;
  outcome?: { status: number; endpoint?: string; ms: number; bytes: number; detail?: string; error?: string; cancelled?: boolean };
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

export type StoreEvent = { type: "add" | "update"; summary: RecordSummary } | { type: "remove"; ids: number[] } | { type: "clear"; kept: number[] };

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
  return (record.request.body?.byteLength ?? 0) + (record.response?.bytes ?? 0);
}

export class RecordStore {
  private readonly records = new Map<number, CapturedRecord>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private nextId = 1;
  private bytes = 0;

  constructor(readonly limits: StoreLimits = DEFAULT_LIMITS) {}

  /** The most body bytes one record keeps (the rest of a long body is counted, not kept). */
  get perBodyLimit(): number {
    return Math.max(1024, Math.floor(this.limits.maxBytes / 4));
  }

  /** Starts a record; the caller fills it and calls `changed` as it grows. */
  add(fields: Omit<CapturedRecord, "id" | "pinned" | "done" | "logs">): CapturedRecord {
    const record: CapturedRecord = { ...fields, id: this.nextId++, pinned: false, done: false, logs: [] };
    this.records.set(record.id, record);
    this.bytes += recordBytes(record);
    this.emit(() => ({ type: "add", summary: summarize(record) }));
    this.evict();
    return record;
  }

  /** Accounts `addedBytes` more body bytes to `record` and tells listeners. */
  changed(record: CapturedRecord, addedBytes = 0): void {
    if (!this.records.has(record.id)) return;
    this.bytes += addedBytes;
    // Built only when a page listens: most requests arrive with no inspector open.
    this.emit(() => ({ type: "update", summary: summarize(record) }));
    if (addedBytes > 0 || record.done) this.evict();
  }

  get(id: number): CapturedRecord | undefined {
    return this.records.get(id);
  }

  /** Newest first. */
  list(): CapturedRecord[] {
    return [...this.records.values()].reverse();
  }

  get size(): number {
    return this.records.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  pin(id: number, pinned: boolean): CapturedRecord | undefined {
    const record = this.records.get(id);
    if (!record) return undefined;
    record.pinned = pinned;
    this.emit({ type: "update", summary: summarize(record) });
    if (!pinned) this.evict();
    return record;
  }

  /** Drops every record that is not pinned (and records still in flight, which could not be replayed anyway). */
  clear(): void {
    for (const record of [...this.records.values()]) if (!record.pinned) this.drop(record);
    this.emit({ type: "clear", kept: [...this.records.keys()] });
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private drop(record: CapturedRecord): void {
    this.records.delete(record.id);
    this.bytes -= recordBytes(record);
  }

  /** Oldest first, finished and unpinned only: a request in flight or pinned is never dropped. */
  private evict(): void {
    if (this.records.size <= this.limits.maxRecords && this.bytes <= this.limits.maxBytes) return;
    const removed: number[] = [];
    for (const record of this.records.values()) {
      if (this.records.size <= this.limits.maxRecords && this.bytes <= this.limits.maxBytes) break;
      if (record.pinned || !record.done) continue;
      this.drop(record);
      removed.push(record.id);
    }
    if (removed.length > 0) this.emit({ type: "remove", ids: removed });
  }

  private emit(event: StoreEvent | (() => StoreEvent)): void {
    if (this.listeners.size === 0) return;
    const built = typeof event === "function" ? event() : event;
    for (const listener of this.listeners) listener(built);
  }
}
