import type { RunEvent } from "../contracts/logger.js";
import type { TaskRecord } from "../contracts/summary.js";
import { errorMessage } from "../errors.js";
import { errorInfo } from "../executor/wire-error.js";
import { firstUserFrame } from "../fingerprint/call-site.js";
import { endLine, formatDuration } from "./format.js";
import type { TaskDecision } from "../freshness/reason.js";
import type { LineLevel } from "./levels.js";

/** Left-column labels of the run's first and last lines, as in the seed. */
export const STARTING = "Starting pipeline...";
export const COMPLETE = "Pipeline complete!";
export const STOPPED = "Pipeline stopped!";

/** One line a run event is shown as: `who : KIND : message`, with its level and data for JSON output. */
export interface EventLine {
  level: LineLevel;
  /** The word in the middle column: `EXEC`, `DONE`, `SKIP`, `FAIL`, `WARN`, `STOP`, `PERF`, `DEBUG`. */
  kind: string;
  /** The left column: a task's name, {@link STARTING}, or the closing line's label. */
  who: string;
  task?: string | undefined;
  message: string;
  /** More lines for files and debug output, such as a stack trace. */
  detail?: string | undefined;
  /** Short lines shown under the line at any level (where a failure happened in the user's code). */
  notes?: readonly string[] | undefined;
  /** Machine-readable fields (durations, totals, error codes). */
  data?: Record<string, unknown> | undefined;
}

/** How run events are shown. */
export interface EventStyle {
  /** Show each process's time at the default level, as the seed did (`TaskTwo : DONE : extract (in 0:01.50)`). */
  processTimings: boolean;
  /**
   * Give lines their machine-readable {@link EventLine.data}: only JSON output prints it, and
   * made for every line of a run it is most of what the lines cost. @default true
   */
  data?: boolean | undefined;
  /** Include lines at level `debug` (a task's `Runs because: …`): off when no output would print them. @default true */
  debug?: boolean | undefined;
}

const DEFAULT_STYLE: EventStyle = { processTimings: false };

function errorData(error: unknown): Record<string, unknown> {
  const { name, code, message } = errorInfo(error);
  return { name, ...(code === undefined ? {} : { code }), message };
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error && error.stack ? error.stack : undefined;
}

function taskData(record: TaskRecord): Record<string, unknown> {
  // Filled in place rather than spread together: made for every task of a run.
  const data: Record<string, unknown> = { state: record.state, durationMs: record.durationMs, attempts: record.attempts };
  if (record.resultType !== undefined) data.resultType = record.resultType;
  if (record.size !== undefined) data.size = record.size;
  if (record.unchanged !== undefined) data.unchanged = record.unchanged;
  if (record.branches !== undefined) data.branches = record.branches;
  return data;
}

/** A mapped task's branches in a phrase: `3 of 120 branches ran, slowest Clean[7] 0:00.40`. */
function branchesText(record: TaskRecord): string {
  const b = record.branches;
  if (!b) return "";
  const failed = b.failed.length > 0 ? `, ${b.failed.length} failed` : "";
  const slowest = b.slowest[0] ? `, slowest ${b.slowest[0].label} ${formatDuration(b.slowest[0].durationMs)}` : "";
  return ` · ${b.ran} of ${b.total} branch${b.total === 1 ? "" : "es"} ran${failed}${slowest}`;
}

/** The message of a task's `EXEC` line: `Running...`, or `Retrying (attempt 2)...`. */
export function startMessage(attempt: number): string {
  return attempt > 1 ? `Retrying (attempt ${attempt})...` : "Running...";
}

/** The message of the `DEBUG` line of a task's first start: `Runs because: never run (no stored result)`. */
export function reasonMessage(decision: TaskDecision): string {
  return `Runs because: ${decision.text}`;
}

/** `(in 0:00.12)` by hundredths under a minute: every task's DONE line has one. */
const tookUnderAMinute = new Map<string, string>();

/** The message of a task's `DONE` line: `(in 0:02.50)`, with its branches for a mapped task. */
export function doneMessage(record: TaskRecord): string {
  const duration = formatDuration(record.durationMs);
  if (record.branches) return `(in ${duration})${branchesText(record)}`;
  let took = tookUnderAMinute.get(duration);
  if (took === undefined) {
    took = `(in ${duration})`;
    if (tookUnderAMinute.size < 6000) tookUnderAMinute.set(duration, took);
  }
  return took;
}

/** A process's line: `PERF` (`run finished (in 0:00.12)`) or, with process timings on, `DONE` (`run (in 0:00.12)`). */
export function processLine(e: Extract<RunEvent, { type: "task:process" }>, processTimings: boolean): { level: LineLevel; kind: string; message: string } {
  const took = `(in ${formatDuration(e.durationMs)})`;
  const by = e.branch ? `${e.branch}: ` : "";
  return processTimings ? { level: "info", kind: "DONE", message: `${by}${e.process} ${took}` } : { level: "perf", kind: "PERF", message: `${by}${e.process} finished ${took}` };
}

/** The message of a cached task's line: `Using cached results (number)`. */
export function cachedMessage(resultType: string | undefined): string {
  return `Using cached results${resultType ? ` (${resultType})` : ""}`;
}

/**
 * The lines a run event is shown as, in the seed's shape: `TaskTwo : DONE : (in 0:02.50)`.
 * Core's plain logger and `@lp/logging` both print these, so their text cannot drift.
 */
export function eventLines(e: RunEvent, style: EventStyle = DEFAULT_STYLE): EventLine[] {
  const withData = style.data !== false;
  switch (e.type) {
    case "run:start":
      return [{ level: "info", kind: "EXEC", who: STARTING, message: `'${e.pipeline}' (${e.tasks.length} tasks)`, data: withData ? { tasks: e.tasks } : undefined }];
    case "task:start": {
      const data = withData ? { attempt: e.attempt, reason: e.decision.text } : undefined;
      const start: EventLine = { level: "info", kind: "EXEC", who: e.task, task: e.task, message: startMessage(e.attempt), data };
      if (e.attempt > 1 || style.debug === false) return [start];
      return [start, { level: "debug", kind: "DEBUG", who: e.task, task: e.task, message: reasonMessage(e.decision) }];
    }
    case "task:cached": {
      let data: Record<string, unknown> | undefined;
      if (withData) {
        data = { reason: e.decision.text };
        if (e.resultType) data.resultType = e.resultType;
      }
      return [{ level: "info", kind: "SKIP", who: e.task, task: e.task, message: cachedMessage(e.resultType), data }];
    }
    case "task:process": {
      let data: Record<string, unknown> | undefined;
      if (withData) {
        data = { process: e.process, durationMs: e.durationMs };
        if (e.branch) data.branch = e.branch;
      }
      const { level, kind, message } = processLine(e, style.processTimings);
      return [{ level, kind, who: e.task, task: e.task, message, data }];
    }
    case "task:retry":
      return [
        {
          level: "warn",
          kind: "WARN",
          who: e.task,
          task: e.task,
          message: `Attempt ${e.attempt} failed: ${errorMessage(e.error)}. Retrying in ${formatDuration(e.delayMs)}`,
          detail: stackOf(e.error),
          data: withData ? { attempt: e.attempt, delayMs: e.delayMs, error: errorData(e.error) } : undefined,
        },
      ];
    case "task:done":
      return [
        {
          level: "info",
          kind: "DONE",
          who: e.task,
          task: e.task,
          message: doneMessage(e.record),
          data: withData ? taskData(e.record) : undefined,
        },
      ];
    case "task:fail": {
      // Where it failed in the user's code: a DependencyFailure or a timeout has no such frame.
      const frame = e.record.state === "failed" ? firstUserFrame(e.error) : undefined;
      return [
        {
          level: "error",
          kind: "FAIL",
          who: e.task,
          task: e.task,
          message: errorMessage(e.error),
          detail: stackOf(e.error),
          notes: frame ? [frame] : undefined,
          data: withData ? { ...taskData(e.record), error: errorData(e.error) } : undefined,
        },
      ];
    }
    case "task:skip":
      return [{ level: "info", kind: "SKIP", who: e.task, task: e.task, message: e.record.decision?.text ?? "skipped", data: withData ? taskData(e.record) : undefined }];
    case "warn":
      return [{ level: "warn", kind: "WARN", who: e.task ?? "Pipeline", task: e.task, message: e.message }];
    case "run:end": {
      const s = e.summary;
      const end = endLine(s);
      const level = end.kind === "DONE" ? "info" : end.kind === "FAIL" ? "error" : "warn";
      const data = withData ? { ok: s.ok, interrupted: s.interrupted, durationMs: s.durationMs, totals: s.totals, criticalPath: s.criticalPath } : undefined;
      return [{ level, kind: end.kind, who: end.who, message: end.message, data }];
    }
    default:
      return [];
  }
}
