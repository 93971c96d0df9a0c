/**
 * Calls `work` on every element, at most `limit` at a time, in order of the list; resolves
 * once all have settled. `work` is expected to handle its own errors.
 */
export async function eachLimited<T>(list: readonly T[], limit: number, work: (x: T) => Promise<void>, stop?: AbortSignal): Promise<void> {
  let next = 0;
  const lanes = Math.max(1, Math.min(limit, list.length));
  const lane = async () => {
    while (next < list.length && !stop?.aborted) await work(list[next++]!);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

/** What branches draw their concurrency from: the run's permits (see run/concurrency.ts). */
export interface Permits {
  take(): Promise<void>;
  give(): void;
}

/**
 * Calls `work` on every element in order of the list, each holding one of `permits`
 * while it runs; resolves once all have settled. Stops starting work once `stop` aborts.
 * `work` is expected to handle its own errors.
 */
export async function eachWithPermits<T>(list: readonly T[], permits: Permits, work: (x: T) => Promise<void>, stop?: AbortSignal): Promise<void> {
  const running = new Set<Promise<void>>();
  for (const x of list) {
    if (stop?.aborted) break;
    await permits.take();
    if (stop?.aborted) {
      permits.give();
      break;
    }
    const done: Promise<void> = work(x).finally(() => {
      permits.give();
      running.delete(done);
    });
    running.add(done);
  }
  await Promise.all(running);
}
