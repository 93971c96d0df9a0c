/**
 * One process-wide Ctrl-C handler shared by every running pipeline, so that many runs
 * at once add one listener, not one each. The first Ctrl-C stops them all (finished
 * results are kept); a second one while they stop exits at once.
 */
const stops = new Set<() => void>();
let presses = 0;

function onSigint(): void {
  if (++presses > 1) process.exit(130);
  for (const stop of stops) stop();
}

/** Calls `stop` on Ctrl-C until the returned function is called. */
export function onCtrlC(stop: () => void): () => void {
  if (stops.size === 0) {
    presses = 0;
    process.on("SIGINT", onSigint);
  }
  stops.add(stop);
  return () => {
    stops.delete(stop);
    if (stops.size === 0) process.off("SIGINT", onSigint);
  };
}
