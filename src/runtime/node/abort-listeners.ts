/**
 * Abort listeners shared per signal: a signal passed to many calls gets one listener however many
 * calls wait on it (no MaxListeners warning), and each call can stop listening on its own.
 */

const abortHandlers = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `handler` when `signal` aborts; returns a function that stops listening. */
export function onAbort(signal: AbortSignal, handler: () => void): () => void {
  let handlers = abortHandlers.get(signal);
  if (handlers === undefined) {
    const created = new Set<() => void>();
    abortHandlers.set(signal, created);
    signal.addEventListener("abort", () => [...created].forEach((run) => run()), { once: true });
    handlers = created;
  }
  handlers.add(handler);
  return () => handlers.delete(handler);
}
