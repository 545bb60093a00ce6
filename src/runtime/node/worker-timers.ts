/**
 * Timers per version of an endpoint module: its code gets its own `setTimeout`, `setInterval` and
 * `setImmediate` (module-scope bindings that shadow the globals), so that when a reload replaces the
 * version, its timers stop with it (once its calls still in flight are over) instead of running on
 * forever beside the new code. Runs inside the worker thread.
 */

type Handle = NodeJS.Timeout | NodeJS.Immediate;

/** The bindings a module is evaluated with, in the order of `TIMER_NAMES`. */
export const TIMER_NAMES = ["setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "clearImmediate"] as const;

export class TimerScope {
  private readonly live = new Set<Handle>();
  private active = 0;
  private retired = false;

  /** The six functions, bound to this scope, in the order of `TIMER_NAMES`. */
  bindings(): unknown[] {
    const live = this.live;
    const once = <A extends unknown[]>(start: (run: () => void) => Handle, callback: (...args: A) => void, args: A): Handle => {
      const handle = start(() => {
        live.delete(handle);
        callback(...args);
      });
      if (!this.retired) live.add(handle);
      else clearAny(handle);
      return handle;
    };
    const clear = (handle: unknown) => {
      if (handle === undefined || handle === null) return;
      live.delete(handle as Handle);
      clearAny(handle as Handle);
    };
    return [
      <A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A) => once((run) => setTimeout(run, ms), callback, args),
      <A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A) => {
        const handle = setInterval(() => callback(...args), ms);
        if (!this.retired) live.add(handle);
        else clearInterval(handle);
        return handle;
      },
      <A extends unknown[]>(callback: (...args: A) => void, ...args: A) => once((run) => setImmediate(run), callback, args),
      clear,
      clear,
      clear,
    ];
  }

  /** A call of this version started. */
  enter(): void {
    this.active += 1;
  }

  /** A call of this version ended. */
  leave(): void {
    this.active -= 1;
    if (this.retired && this.active === 0) this.clearAll();
  }

  /** The version was replaced or dropped: its timers stop now, or when its last call ends. */
  retire(): void {
    this.retired = true;
    if (this.active === 0) this.clearAll();
  }

  /** Timers still pending (for tests). */
  get pending(): number {
    return this.live.size;
  }

  private clearAll(): void {
    for (const handle of this.live) clearAny(handle);
    this.live.clear();
  }
}

function clearAny(handle: Handle): void {
  // clearTimeout and clearInterval are interchangeable in Node; an Immediate needs its own.
  if ("_onImmediate" in handle) clearImmediate(handle as NodeJS.Immediate);
  else clearTimeout(handle as NodeJS.Timeout);
}

const scopes = new WeakMap<object, TimerScope>();

/** Records the scope of a module version's endpoint class. */
export function setTimerScope(endpointClass: object, scope: TimerScope): void {
  scopes.set(endpointClass, scope);
}

/** The scope of the version an endpoint class belongs to. */
export function timerScopeOf(endpointClass: object): TimerScope | undefined {
  return scopes.get(endpointClass);
}
