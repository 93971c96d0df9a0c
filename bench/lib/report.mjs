// What a scenario process prints last: one JSON line with the timings measured inside it.
export function report(figures) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Milliseconds since `start` (a performance.now() value), rounded to 0.1 ms. */
export const since = (start) => Math.round((performance.now() - start) * 10) / 10;
