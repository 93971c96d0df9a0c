import { contentKey, loadCacache } from "./content.js";

/** cacache index entries younger than this are never collected: another process may be storing them. */
const GC_GRACE_MS = 60_000;

/**
 * Lets cacache's verify collect every body that no entry refers to (`referenced`), and
 * any that fails its checksum. Bodies being written (`writing`) or indexed less than a
 * minute ago are spared: another process may be about to record them.
 */
export async function collectContent(root: string, referenced: ReadonlySet<string>, writing: (digest: string) => boolean): Promise<void> {
  const cacache = await loadCacache();
  // An index entry keeps its body alive; one lost in a power failure is written again.
  for (const digest of referenced) {
    const info = await cacache.get.info(root, contentKey(digest)).catch(() => null);
    if (!info) await cacache.index.insert(root, contentKey(digest), digest, {});
  }
  const since = Date.now() - GC_GRACE_MS;
  const keep = (entry: { key: string; integrity: string; time: number }) =>
    !entry.key.startsWith("lp-body:") || referenced.has(entry.integrity) || entry.time > since || writing(entry.integrity);
  // @types/cacache types `filter` wrongly (as a string); cacache calls it with each index entry.
  await cacache.verify(root, { filter: keep as never });
}
