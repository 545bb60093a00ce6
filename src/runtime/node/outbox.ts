/**
 * Batches messages between the server thread and the worker: everything posted during one turn of
 * the event loop goes out as one `postMessage`, so under load a crossing (a structured clone and a
 * wake-up of the other thread) is paid per batch, not per message. Order is kept.
 */

export type Send<M> = (batch: M[], transfer: ArrayBuffer[]) => void;

export function createOutbox<M>(send: Send<M>): (message: M, transfer?: ArrayBuffer[]) => void {
  let queue: M[] = [];
  let moved: ArrayBuffer[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    const transfer = moved;
    queue = [];
    moved = [];
    send(batch, transfer);
  };
  return (message, transfer) => {
    queue.push(message);
    if (transfer !== undefined) moved.push(...transfer);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
