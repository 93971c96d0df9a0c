import type { RunTotals, TaskRecord } from "../contracts/summary.js";

/** Counts states over records. */
export function totalsOf(records: readonly TaskRecord[]): RunTotals {
  const t: RunTotals = { total: records.length, executed: 0, cached: 0, skipped: 0, failed: 0, upstreamFailed: 0, cancelled: 0 };
  for (const r of records) {
    if (r.state === "upstream-failed") t.upstreamFailed++;
    else t[r.state]++;
  }
  return t;
}
