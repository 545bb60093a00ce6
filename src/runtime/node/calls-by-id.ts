/**
 * The calls in flight on one worker, by id: the part of a `Map` the host uses, kept in a plain
 * dictionary object. Under load calls come and go thousands of times a second, and a `Map` that
 * grows and shrinks that often replaces its hash table each time, the old table keeping a link to
 * the new one (for iterators) and its entries. Once one of those tables had lived long enough to
 * reach the old generation, that chain held every later call (and through it the whole request)
 * alive past young-generation collections, so most requests were promoted and collected only by
 * full collections. A dictionary's old storage keeps no link to its replacement.
 */
export class CallsById<T> implements Iterable<[number, T]> {
  private byId: Record<number, T> = Object.create(null) as Record<number, T>;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    return this.byId[id];
  }

  set(id: number, value: T): void {
    if (this.byId[id] === undefined) this.count += 1;
    this.byId[id] = value;
  }

  delete(id: number): void {
    if (this.byId[id] === undefined) return;
    delete this.byId[id];
    this.count -= 1;
    // Empty: start afresh, so the dictionary does not keep growing with the ids used.
    if (this.count === 0) this.byId = Object.create(null) as Record<number, T>;
  }

  /** Entries in id order (the order calls were posted). */
  *[Symbol.iterator](): IterableIterator<[number, T]> {
    const byId = this.byId;
    for (const key of Object.keys(byId)) {
      const value = byId[Number(key)];
      if (value !== undefined) yield [Number(key), value];
    }
  }

  values(): T[] {
    return Object.values(this.byId);
  }
}
