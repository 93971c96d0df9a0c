import { formatDuration, type RunSummary } from "@lp/core";
import type { Colors } from "./colors.js";

/**
 * One closing line for a run (`Executed 2, cached 3 of 5 tasks in 0:01.20.`), plus a line
 * per failed task and a note when the run was cancelled.
 */
export function renderSummary(summary: RunSummary, c: Colors): string {
  const t = summary.totals;
  const parts = [`executed ${t.executed}`, `cached ${t.cached}`];
  if (t.skipped) parts.push(`skipped ${t.skipped}`);
  if (t.failed) parts.push(c.red(`failed ${t.failed}`));
  if (t.upstreamFailed) parts.push(c.red(`not run after a failure ${t.upstreamFailed}`));
  if (t.cancelled) parts.push(c.yellow(`cancelled ${t.cancelled}`));
  const head = `${parts.join(", ")} of ${t.total} task${t.total === 1 ? "" : "s"} in ${formatDuration(summary.durationMs)}.`;
  const lines = [head.charAt(0).toUpperCase() + head.slice(1)];
  for (const r of summary.tasks) {
    if (r.state === "failed") lines.push(`  ${c.red("failed")} ${c.bold(r.name)}: ${r.error?.message ?? "unknown error"}`);
  }
  if (summary.interrupted) lines.push(c.yellow("Execution cancelled; results of the tasks that completed are kept."));
  return lines.join("\n");
}
