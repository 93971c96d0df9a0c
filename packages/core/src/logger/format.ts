import type { RunSummary } from "../contracts/summary.js";

/** Durations under a minute as text, by hundredths: a run's lines mostly show a handful of them. */
const MINUTE_CS = 6000;
const underAMinute: (string | undefined)[] = new Array(MINUTE_CS).fill(undefined);

/** `m:ss.cc` like the seed's timers, e.g. `0:02.50`; hours are added past 60 minutes. */
export function formatDuration(ms: number): string {
  const totalCs = Math.round(ms / 10);
  if (totalCs >= 0 && totalCs < MINUTE_CS) return (underAMinute[totalCs] ??= durationText(totalCs));
  return durationText(totalCs);
}

/** {@link formatDuration} of a whole number of hundredths. */
function durationText(totalCs: number): string {
  const cs = totalCs % 100;
  const totalS = Math.floor(totalCs / 100);
  const s = totalS % 60;
  const totalM = Math.floor(totalS / 60);
  const m = totalM % 60;
  const h = Math.floor(totalM / 60);
  const tail = `${String(s).padStart(2, "0")}.${String(cs).padStart(2, "0")}`;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${tail}` : `${m}:${tail}`;
}

/** A byte count for people, in binary units: `512 B`, `1.5 KiB`, `20 MiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes))} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A short description of a value's type for "Using cached results (number)". */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (Buffer.isBuffer(value)) return `Buffer(${value.length})`;
  if (typeof value === "object") return (value as object).constructor?.name ?? "Object";
  return typeof value;
}

/** The counts of a run other than executed, as `cached 2, failed 1 (Sum), not run after a failure 1`; "" when all ran. */
export function describeTotals(summary: Pick<RunSummary, "totals" | "tasks">): string {
  const t = summary.totals;
  const parts: string[] = [];
  if (t.cached) parts.push(`cached ${t.cached}`);
  if (t.skipped) parts.push(`skipped ${t.skipped}`);
  // Names are looked up among all the run's tasks only when some failed.
  if (t.failed) parts.push(`failed ${t.failed} (${summary.tasks.filter((r) => r.state === "failed").map((r) => r.name).join(", ")})`);
  if (t.upstreamFailed) parts.push(`not run after a failure ${t.upstreamFailed}`);
  if (t.cancelled) parts.push(`cancelled ${t.cancelled}`);
  return parts.join(", ");
}

/** The one closing line of a run, in the seed's columns. */
export interface EndLine {
  /** `Pipeline complete!`, `Pipeline failed!` or `Pipeline stopped!` (interrupted: never "complete"). */
  who: string;
  kind: "DONE" | "FAIL" | "STOP";
  message: string;
}

/**
 * The closing line of a run, the same for every logger: complete, failed or stopped.
 * @example { who: "Pipeline failed!", kind: "FAIL", message: "Ran 3/4 tasks in 0:01.20; failed 1 (Sum)" }
 */
export function endLine(summary: RunSummary): EndLine {
  const t = summary.totals;
  const rest = describeTotals(summary);
  const took = formatDuration(summary.durationMs);
  if (summary.interrupted) {
    return { who: "Pipeline stopped!", kind: "STOP", message: `Interrupted after ${took}; ran ${t.executed}/${t.total} tasks${rest ? `, ${rest}` : ""}; finished results are kept` };
  }
  const escaped = summary.escaped?.length ?? 0;
  const stray = escaped === 0 ? "" : `; ${escaped} error${escaped === 1 ? "" : "s"} escaped the tasks' code`;
  const message = `Ran ${t.executed}/${t.total} tasks in ${took}${rest ? `; ${rest}` : ""}${stray}`;
  return summary.ok ? { who: "Pipeline complete!", kind: "DONE", message } : { who: "Pipeline failed!", kind: "FAIL", message };
}
