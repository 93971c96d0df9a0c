import { setMaxListeners } from "node:events";

/**
 * Calls `fn` whenever the event loop runs dry while the returned function has not been
 * called: nothing is left that could ever settle a task still awaited (a promise that is
 * never resolved). Without this the process would simply end, silently, with no summary
 * and exit code 0.
 */
export function onEventLoopDrained(fn: () => void): () => void {
  process.on("beforeExit", fn);
  return () => process.off("beforeExit", fn);
}

/** A signal aborted when the event loop runs dry; every attempt in flight listens on it, so many at once is expected. */
export function drainController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
