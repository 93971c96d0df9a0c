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
