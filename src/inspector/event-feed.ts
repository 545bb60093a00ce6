/**
 * One live page's feed of store changes, batched. A request makes several changes (arrived, body,
 * head, chunks, end); a page only needs the latest state of each row. The feed notes which records
 * changed, in order, and summarizes each once when the batch is sent, as Server-Sent Events text:
 * no summary or JSON is built per change, and a burst of requests is one write per batch.
 */
import { summarize, type RecordStore, type StoreEvent } from "./store.js";

type Change = "add" | "update";

export class EventFeed {
  /** Record ids (their add or update) and list events, in the order they happened. */
  private order: Array<number | Exclude<StoreEvent, { type: Change }>> = [];
  private readonly pending = new Map<number, Change>();
  private readonly unsubscribe: () => void;

  /** @param onReady called when the feed goes from empty to holding something to send */
  constructor(
    private readonly store: RecordStore,
    onReady: () => void,
  ) {
    this.unsubscribe = store.subscribe((event) => {
      const wasEmpty = this.order.length === 0;
      if (event.type === "add" || event.type === "update") {
        // An add stays an add: the page has not seen the record yet.
        if (this.pending.has(event.record.id)) return;
        this.pending.set(event.record.id, event.type);
        this.order.push(event.record.id);
      } else this.order.push(event as Exclude<StoreEvent, { type: Change }>);
      if (wasEmpty) onReady();
    });
  }

  get empty(): boolean {
    return this.order.length === 0;
  }

  /** Everything pending as SSE messages (`data: <json>` each), summarized now; empties the feed. */
  take(): string {
    let text = "";
    for (const item of this.order) {
      if (typeof item === "number") {
        // Its state now (a finished record may be in the store's pages by then). Dropped or
        // cleared since: the remove or clear that follows tells the page.
        const record = this.store.get(item);
        if (record === undefined) continue;
        text += `data: ${JSON.stringify({ type: this.pending.get(item)!, summary: summarize(record) })}\n\n`;
      } else text += `data: ${JSON.stringify(item)}\n\n`;
    }
    this.order = [];
    this.pending.clear();
    return text;
  }

  close(): void {
    this.unsubscribe();
  }
}
