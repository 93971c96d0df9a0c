import type { BranchReport, ProcessTiming, RunSummary, TaskState } from "@lp/core";
import { formatDuration } from "@lp/core/internal";
import pc from "picocolors";
import { displayWidth } from "./render/width.js";
import { padEnd } from "./render/pretty.js";
import type { Colors } from "./render/colors.js";

/** One task's time in a run, with its processes slowest first. */
export interface TaskTiming {
  task: string;
  state: TaskState;
  durationMs: number;
  processes: ProcessTiming[];
  /** For a mapped task: its branch counts and slowest branches. */
  branches?: BranchReport | undefined;
}

/** Where a run's time went: tasks that ran, slowest first, and the chain that set its length. */
export interface RunTimings {
  tasks: TaskTiming[];
  criticalPath: string[];
  /** Sum of the durations of the tasks on the critical path. */
  criticalPathMs: number;
}

const slowestFirst = <T extends { durationMs: number }>(a: T, b: T) => b.durationMs - a.durationMs;

/**
 * The timings of the tasks that ran in a run (cached and skipped ones took no work),
 * from the summary `execute()` returns.
 */
export function runTimings(summary: RunSummary): RunTimings {
  const ran = summary.tasks.filter((r) => r.attempts > 0);
  const tasks = ran
    .map((r) => ({
      task: r.name,
      state: r.state,
      durationMs: r.durationMs,
      processes: [...r.processes].sort(slowestFirst),
      ...(r.branches ? { branches: r.branches } : {}),
    }))
    .sort(slowestFirst);
  const byName = new Map(summary.tasks.map((r) => [r.name, r.durationMs]));
  const criticalPathMs = summary.criticalPath.reduce((sum, name) => sum + (byName.get(name) ?? 0), 0);
  return { tasks, criticalPath: [...summary.criticalPath], criticalPathMs };
}

/**
 * The timing table shown at the end of a run with `timings: true`: each task that ran and
 * each of its processes, slowest first, then the critical path.
 * @param colors - picocolors' colours, or none for plain text
 * @example
 * Timings, slowest first:
 *   TaskTwo    0:02.50
 *     run      0:02.50
 *     extract  0:02.40
 * Critical path: TaskTwo -> Sum (0:02.75)
 */
export function formatTimings(timings: RunTimings, colors: Colors = pc.createColors(false)): string {
  if (timings.tasks.length === 0) return "Timings: no task ran.";
  const rows: { label: string; time: string; note: string; task: boolean }[] = [];
  for (const t of timings.tasks) {
    const b = t.branches;
    const branchNote = b ? `  ${b.ran} of ${b.total} branches ran${b.failed.length > 0 ? `, ${b.failed.length} failed` : ""}` : "";
    rows.push({
      label: `  ${t.task}`,
      time: formatDuration(t.durationMs),
      note: `${t.state === "executed" ? "" : `  ${t.state}`}${branchNote}`,
      task: true,
    });
    for (const s of b?.slowest ?? [])
      rows.push({ label: `    ${s.label}`, time: formatDuration(s.durationMs), note: "  branch", task: false });
    for (const p of t.processes) {
      rows.push({
        label: `    ${p.name}`,
        time: formatDuration(p.durationMs),
        note: p.calls > 1 ? `  (${p.calls} calls)` : "",
        task: false,
      });
    }
  }
  const labelWidth = Math.max(...rows.map((r) => displayWidth(r.label)));
  const timeWidth = Math.max(...rows.map((r) => r.time.length));
  const body = rows.map((r) => {
    const label = padEnd(r.label, labelWidth);
    return `${r.task ? colors.bold(label) : colors.dim(label)}  ${r.time.padStart(timeWidth)}${r.note}`;
  });
  const path =
    timings.criticalPath.length > 0 ? `${timings.criticalPath.join(" -> ")} (${formatDuration(timings.criticalPathMs)})` : "none";
  return [colors.bold("Timings, slowest first:"), ...body, `${colors.bold("Critical path:")} ${path}`].join("\n");
}
