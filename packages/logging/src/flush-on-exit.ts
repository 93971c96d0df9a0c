/** Something holding output in memory that must reach its destination before the process ends. */
export interface Flushable {
  flush(): void;
}

const live = new Set<Flushable>();
let hooked = false;

/**
 * Writes `target`'s batch synchronously if the process exits before it does (the end of
 * the event loop, `process.exit()`); one `exit` listener serves every logger. A SIGKILL
 * loses at most the batch of the last event-loop turn, or the last 100 ms of file lines.
 */
export function flushOnExit(target: Flushable): void {
  live.add(target);
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const t of live) {
      try {
        t.flush();
      } catch {
        // Exiting: nowhere left to report to.
      }
    }
  });
}

/** `target` has nothing left to write. */
export function forgetOnExit(target: Flushable): void {
  live.delete(target);
}
