import type { RunSummary } from "@lp/core";
import { endLine } from "@lp/core/internal";
import type { Colors } from "./colors.js";

/**
 * The run's closing line, worded as the logger's (`Pipeline failed! Ran 3/4 tasks in
 * 0:01.20; failed 1 (Sum)`), plus a line per failed task with its error and one per
 * error that escaped a task's code after it finished.
 */
export function renderSummary(summary: RunSummary, c: Colors): string {
  const end = endLine(summary);
  const paint = end.kind === "DONE" ? c.green : end.kind === "FAIL" ? c.red : c.yellow;
  const lines = [`${paint(end.who)} ${end.message}`];
  for (const r of summary.tasks) {
    if (r.state === "failed") lines.push(`  ${c.red("failed")} ${c.bold(r.name)}: ${r.error?.message ?? "unknown error"}`);
  }
  for (const e of summary.escaped ?? []) {
    lines.push(`  ${c.red("escaped")} ${e.task === undefined ? "(no task known)" : c.bold(e.task)}: ${e.message}`);
  }
  return lines.join("\n");
}
