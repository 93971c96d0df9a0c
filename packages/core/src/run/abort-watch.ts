/**
 * One listener per signal for everything waiting on it. Every attempt waits on the same two
 * signals (the run's, the event loop's drain); an EventTarget listener added and removed by
 * each of them costs more than a no-op attempt itself.
 */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

const nothing = () => {};

/** Calls `fn` once when `signal` aborts, at once if it has; the returned function stops watching. */
export function watchAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return nothing;
  }
  let set = watchers.get(signal);
  if (!set) {
    const waiting = new Set<() => void>();
    set = waiting;
    watchers.set(signal, waiting);
    signal.addEventListener(
      "abort",
      () => {
        watchers.delete(signal);
        for (const f of waiting) f();
        waiting.clear();
      },
      { once: true },
    );
  }
  const own = set;
  own.add(fn);
  return () => {
    own.delete(fn);
  };
}
