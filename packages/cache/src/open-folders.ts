import type { JournalRecord } from "./journal/record.js";
import type { JournalView } from "./journal/view.js";

/**
 * The views of the stores open in this process on one folder. A store reads another's
 * journal file only when it scans, as it reads another process's; two stores in one process
 * (two pipelines of one name, say) must not wait for that: each tells the others of every
 * record it has made durable, and they apply it at once.
 */
export interface FolderPeers {
  /** Applies records this store has committed to the views of the others. */
  tell(records: readonly JournalRecord[]): void;
  /** Stops telling and being told (when the store closes). */
  leave(): void;
}

const byFolder = new Map<string, Set<JournalView>>();

/**
 * Joins the stores open on `folder` (its real path) with `view`. Views apply records in any
 * order and any number of times to the same state, so a record told and later read from the
 * file again changes nothing.
 */
export function joinFolder(folder: string, view: JournalView): FolderPeers {
  let views = byFolder.get(folder);
  if (!views) byFolder.set(folder, (views = new Set()));
  views.add(view);
  const peers = views;
  return {
    tell(records) {
      if (peers.size < 2) return;
      for (const other of peers) if (other !== view) for (const record of records) other.apply(record);
    },
    leave() {
      peers.delete(view);
      if (peers.size === 0 && byFolder.get(folder) === peers) byFolder.delete(folder);
    },
  };
}
