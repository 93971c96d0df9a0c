import type { Entry, JournalView } from "./view.js";

/**
 * The entries to evict, least recently used first, so that the rest fit in `maxSize`
 * bytes. `keep` (the result just stored) is never chosen, even when it alone is larger.
 */
export function leastRecentlyUsed(view: JournalView, maxSize: number, keep: string | undefined): Entry[] {
  if (view.totalSize <= maxSize) return [];
  const byAge = [...view.entries.values()].filter((e) => e.key !== keep).sort((a, b) => a.usedAt - b.usedAt);
  const doomed: Entry[] = [];
  let total = view.totalSize;
  for (const e of byAge) {
    if (total <= maxSize) break;
    doomed.push(e);
    total -= e.size;
  }
  return doomed;
}
