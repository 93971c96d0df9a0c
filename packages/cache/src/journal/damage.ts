import type { Damage } from "./parse.js";
import type { JournalRecord } from "./record.js";

/** Sequence numbers may run slightly ahead of the clock; a second (in µs) covers it. */
const CLOCK_MARGIN = 1_000_000;

/**
 * The sequence number up to which every version of every key must be treated as missing
 * because of a record that cannot be read. Its kind and key are unknowable: it may have been
 * a delete, a clear or a newer put of any key, written before the next whole record of its
 * file (a writer's records are in sequence order), so everything written before that record
 * may have been changed by it. Where nothing follows it, or in a snapshot (whose records are
 * not in order), the file's last modification bounds it.
 *
 * Losing results this way only makes tasks run again; trusting them could serve a result
 * that was deleted or replaced as fresh.
 */
export function damageReach(damage: Damage, records: readonly JournalRecord[], snapshot: boolean, mtimeMs: number): number {
  if (!snapshot && damage.nextSeq !== undefined) return damage.nextSeq - 1;
  let max = 0;
  for (const r of records) if (r.seq > max) max = r.seq;
  return Math.max(max, Math.ceil(mtimeMs) * 1000 + CLOCK_MARGIN);
}
