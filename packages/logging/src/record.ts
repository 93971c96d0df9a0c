import type { LineLevel } from "./levels.js";

/**
 * One line of output, whatever its source (a task's logger or a run event), before it is
 * rendered for the console or a file.
 */
export interface LogRecord {
  /** When it happened, in ms since the epoch: a `Date` is made only for JSON output. */
  at: number;
  level: LineLevel;
  /** The word in the middle column: `EXEC`, `DONE`, `SKIP`, `FAIL`, `WARN`, `INFO`, `PERF`, `DEBUG`, `TIME`. */
  kind: string;
  /** The left column: a task's name, or `Starting pipeline...` / `Pipeline complete!`. */
  who: string;
  /** The task the line belongs to; lines with a task and a pipeline also go to the task's file. */
  task?: string | undefined;
  pipeline?: string | undefined;
  message: string;
  /** More lines for files and debug output, such as a stack trace. */
  detail?: string | undefined;
  /** Short lines shown under the line on the console at any level (where a failure happened, where its full log is). */
  notes?: readonly string[] | undefined;
  /** Print `message` as it is, without the columns (the timing table). */
  raw?: boolean | undefined;
  /** The run event behind the line, for JSON output. */
  event?: string | undefined;
  /** Machine-readable fields for JSON output (durations, totals, error codes). */
  data?: Record<string, unknown> | undefined;
}

/**
 * A task logger's methods: the level each line is filtered at and its badge. A user's
 * `error()` reads ERROR; FAIL is kept for a task's own outcome.
 */
export const LOGGER_METHODS = {
  critical: { level: "error", kind: "CRITICAL" },
  error: { level: "error", kind: "ERROR" },
  warn: { level: "warn", kind: "WARN" },
  success: { level: "info", kind: "SUCCESS" },
  info: { level: "info", kind: "INFO" },
  perf: { level: "perf", kind: "PERF" },
  debug: { level: "debug", kind: "DEBUG" },
  trace: { level: "debug", kind: "TRACE" },
} as const satisfies Record<string, { level: LineLevel; kind: string }>;

export type LoggerMethod = keyof typeof LOGGER_METHODS;
