import { readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** A rotated file: `<stem>~YYYYMMDD-HHMMSS-mmm[-n].log`. Stems never hold a raw `~`. */
export const ROTATED_FILE = /~\d{8}-\d{6}-\d{3}(?:-\d+)?\.log$/;

const DAY_MS = 86_400_000;

/** The time before which log files are old enough to delete. */
export function retentionCutoff(now: number, retainDays: number): number {
  return now - retainDays * DAY_MS;
}

/**
 * Deletes rotated log files in `dir` last written before `cutoff`. Only names this
 * package writes are touched, so a shared `LOG_DIR` keeps everything else. A file that
 * cannot be deleted is left for the next sweep.
 * @param names - the folder's entries, when the caller has listed it already
 * @returns the names of the files deleted
 */
export function pruneRotated(dir: string, cutoff: number, names: readonly string[] = readdirSync(dir)): string[] {
  const removed: string[] = [];
  for (const name of names) {
    if (!ROTATED_FILE.test(name)) continue;
    const file = join(dir, name);
    try {
      if (statSync(file).mtimeMs < cutoff) {
        unlinkSync(file);
        removed.push(name);
      }
    } catch {
      // Gone already, or not ours to delete: the next sweep tries again.
    }
  }
  return removed;
}
