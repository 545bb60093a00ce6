/**
 * Abort listeners shared per signal: a signal passed to many calls gets one listener however many
 * calls wait on it (no MaxListeners warning), and each call can stop listening on its own. The
 * handlers are kept in an array, not a `Set`: a connection's signal sees a call added and removed
 * per request, and a `Set` churned that way replaces its hash table over and over, each old table
 * linked to the next (see calls-by-id.ts for what that chain cost).
 */

const abortHandlers = new WeakMap<AbortSignal, Array<() => void>>();

/** Runs `handler` when `signal` aborts; returns a function that stops listening. */
export function onAbort(signal: AbortSignal, handler: () => void): () => void {
  let handlers = abortHandlers.get(signal);
  if (handlers === undefined) {
    const created: Array<() => void> = [];
    abortHandlers.set(signal, created);
    signal.addEventListener("abort", () => [...created].forEach((run) => run()), { once: true });
    handlers = created;
  }
  const list = handlers;
  list.push(handler);
  return () => {
    const index = list.lastIndexOf(handler);
    if (index < 0) return;
    // Order does not matter: the last one takes the freed place.
    const last = list.pop() as () => void;
    if (index < list.length) list[index] = last;
  };
}
