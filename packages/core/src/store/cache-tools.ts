import type { PruneReport, ResultMeta, ResultStore } from "../contracts/store.js";
import { isExpired } from "../freshness/expiry.js";
import { clearTaskResults } from "../map/clear.js";

/** Whether an entry was stored to be kept until invalidated (policy `never`). */
export function neverExpires(meta: ResultMeta): boolean {
  return meta.expiresAt === null && meta.session === undefined && meta.expiry === "never";
}

/**
 * Clears results: one task's (`task`; for a mapped task its branches too, so that it runs
 * in full again), all but the never-expiring ones (the default, the shell's
 * `clear-cache .`), or everything (`hard`). One branch is cleared with `clearBranch`.
 * @returns the keys removed
 * @example await clearResults(pipeline.store, { task: "Clean" }); // Clean and Clean's branches
 */
export async function clearResults(store: ResultStore, options: { task?: string; hard?: boolean } = {}): Promise<string[]> {
  if (options.task !== undefined) return clearTaskResults(store, options.task);
  const all = await store.list();
  if (options.hard) {
    await store.clear();
    return all.map((m) => m.key);
  }
  const doomed = all.filter((m) => !neverExpires(m)).map((m) => m.key);
  for (const key of doomed) await store.delete(key);
  return doomed;
}

/** Removes expired entries; uses the store's own `prune` when it has one. */
export async function pruneResults(store: ResultStore, now: number): Promise<PruneReport> {
  if (store.prune) return store.prune(now);
  const expired = (await store.list()).filter((m) => isExpired(m, now));
  for (const m of expired) await store.delete(m.key);
  return { removed: expired.map((m) => m.key), freedBytes: expired.reduce((n, m) => n + m.size, 0) };
}

/** Bytes used: the store's own figure when it has one, else the sum of body sizes. */
export async function resultsSize(store: ResultStore): Promise<number> {
  if (store.diskUsage) return store.diskUsage();
  return (await store.list()).reduce((n, m) => n + m.size, 0);
}
