/**
 * One live page's feed of store changes, batched. A request makes several changes (arrived, body,
 * head, chunks, end); a page only needs the latest state of each row. The feed notes which records
 * changed, in order, and summarizes each once when the batch is sent, as Server-Sent Events text:
 * no summary or JSON is built per change, and a burst of requests is one write per batch.
 */
import { summarize, type CapturedRecord, type RecordStore, type StoreEvent } from "./store.js";

type Pending = { type: "add" | "update"; record: CapturedRecord };

export class EventFeed {
  /** Record ids (their add or update) and list events, in the order they happened. */
  private order: Array<number | Exclude<StoreEvent, Pending>> = [];
  private readonly pending = new Map<number, Pending>();
  private readonly unsubscribe: () => void;

  /** @param onReady called when the feed goes from empty to holding something to send */
  constructor(
    private readonly store: RecordStore,
    onReady: () => void,
  ) {
    this.unsubscribe = store.subscribe((event) => {
      const wasEmpty = this.order.length === 0;
      if (event.type === "add" || event.type === "update") {
        const seen = this.pending.get(event.record.id);
        // An add stays an add: the page has not seen the record yet.
        if (seen) return;
        this.pending.set(event.record.id, { type: event.type, record: event.record });
        this.order.push(event.record.id);
      } else this.order.push(event as Exclude<StoreEvent, Pending>);
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
        const pending = this.pending.get(item)!;
        // Dropped or cleared since: the remove or clear that follows tells the page.
        if (this.store.get(item) !== pending.record) continue;
        text += `data: ${JSON.stringify({ type: pending.type, summary: summarize(pending.record) })}\n\n`;
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
