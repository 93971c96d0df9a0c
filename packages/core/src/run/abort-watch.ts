/**
 * One listener per signal for everything waiting on it. Every attempt waits on the same two
 * signals (the run's, the event loop's drain); an EventTarget listener added and removed by
 * each of them costs more than a no-op attempt itself.
 */
export interface AbortWatcher {
  /** Called once, when `signal` aborts. */
  onAbort(signal: AbortSignal): void;
}

const watchers = new WeakMap<AbortSignal, Set<AbortWatcher>>();

/** Tells `watcher` when `signal` aborts, at once if it has. */
export function watchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  if (signal.aborted) return watcher.onAbort(signal);
  let set = watchers.get(signal);
  if (!set) {
    const waiting = new Set<AbortWatcher>();
    set = waiting;
    watchers.set(signal, waiting);
    signal.addEventListener(
      "abort",
      () => {
        watchers.delete(signal);
        for (const w of waiting) w.onAbort(signal);
        waiting.clear();
      },
      { once: true },
    );
  }
  set.add(watcher);
}

/** Stops telling `watcher` about `signal`. */
export function unwatchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  watchers.get(signal)?.delete(watcher);
}
