import type { LineLevel } from "./levels.js";

/**
 * One line of output, whatever its source (a task's logger or a run event), before it is
 * rendered for the console or a file.
 */
export interface LogRecord {
  time: Date;
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
  /** Print `message` as it is, without the columns (the timing table). */
  raw?: boolean | undefined;
  /** The run event behind the line, for JSON output. */
  event?: string | undefined;
  /** Machine-readable fields for JSON output (durations, totals, error codes). */
  data?: Record<string, unknown> | undefined;
}

/** The badge for a task logger's line at each level. */
export const KIND_OF_LEVEL: Readonly<Record<LineLevel, string>> = {
  error: "FAIL",
  warn: "WARN",
  info: "INFO",
  perf: "PERF",
  debug: "DEBUG",
};
