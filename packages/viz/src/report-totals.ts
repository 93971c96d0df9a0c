import { formatDuration } from "@lp/core/internal";
import { esc, formatBytes } from "./html.js";
import { concurrencySteps, type ReportData } from "./report-data.js";

function stat(key: string, label: string, value: string): string {
  return `<div data-total="${esc(key)}"><dt>${esc(label)}</dt><dd>${esc(value)}</dd></div>`;
}

/** The run in numbers: counts per state, wall time against task time, peak concurrency, the critical path. */
export function totalsHtml(data: ReportData): string {
  const { summary, ran, tasks } = data;
  const t = summary.totals;
  const busy = ran.reduce((sum, r) => sum + (r.end - r.start), 0);
  const wall = Math.max(data.t1 - data.t0, 0);
  const peak = Math.max(0, ...concurrencySteps(ran).map((s) => s.running));
  const written = [...tasks.values()].reduce((sum, task) => sum + (task.record?.state === "executed" ? (task.record.size ?? 0) : 0), 0);
  const items = [
    stat("total", "tasks", String(t.total)),
    stat("executed", "executed", String(t.executed)),
    stat("cached", "cached", String(t.cached)),
    stat("failed", "failed", String(t.failed)),
    stat("upstream-failed", "upstream failed", String(t.upstreamFailed)),
    stat("skipped", "skipped", String(t.skipped)),
    stat("cancelled", "cancelled", String(t.cancelled)),
    stat("wall", "wall time", formatDuration(summary.durationMs)),
    stat("busy", "task time", formatDuration(busy)),
    stat("parallelism", "average parallelism", wall > 0 ? `${(busy / wall).toFixed(2)}×` : "—"),
    stat("peak", "peak concurrency", String(peak)),
    stat("written", "results written", formatBytes(written)),
  ];
  const path = summary.criticalPath ?? [];
  const chain = path.length
    ? `<p class="path" data-critical-path="${esc(path.join("\u0000"))}">Critical path: ${path.map((n) => `<b>${esc(n)}</b>`).join(`<span class="sep">→</span>`)}</p>`
    : `<p class="path">No critical path: no task was executed.</p>`;
  return `<dl class="totals">${items.join("")}</dl>\n${chain}`;
}
