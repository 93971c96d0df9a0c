import type { TaskDecision } from "../freshness/reason.js";
import type { LogLevelName } from "../logger/levels.js";
import type { PipelineLocation } from "../location/results-home.js";
import type { BranchReport, RunSummary, TaskRecord } from "./summary.js";

/**
 * A task's logger as a provider implements it. Five methods are required; the seed's
 * extra levels are optional and fall back to the nearest required one
 * (`success` → `info`, `critical` → `error`, `trace` → `debug`).
 */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  /** Timing records: a message and how long something took. */
  perf(message: string, durationMs: number): void;
  /** Something finished well (the seed's SUCCESS). */
  success?(message: string, ...args: unknown[]): void;
  /** An error that stops the task (the seed's CRITICAL). */
  critical?(message: string, ...args: unknown[]): void;
  /** Finer than debug (the seed's TRACE). */
  trace?(message: string, ...args: unknown[]): void;
}

/** Level names `this.logger.log(level, …)` accepts, case-insensitive (the seed's loguru names included). */
export const TASK_LOG_LEVELS = ["trace", "debug", "info", "success", "warn", "warning", "error", "critical"] as const;

/** A level name for `this.logger.log(level, …)`. */
export type TaskLogLevel = (typeof TASK_LOG_LEVELS)[number] | Uppercase<(typeof TASK_LOG_LEVELS)[number]>;

/**
 * What processes see as `this.logger` (and `task.logger`): every level of the seed's
 * loguru logger, whatever the provider implements.
 * @example this.logger.success("loaded %d rows", rows.length)
 */
export interface TaskLogger extends Required<Logger> {
  /** Same as `warn` (loguru's name). */
  warning(message: string, ...args: unknown[]): void;
  /**
   * Logs at a level given by name.
   * @throws InvalidOptionError for a level that is not one of {@link TASK_LOG_LEVELS}
   */
  log(level: TaskLogLevel | (string & {}), message: string, ...args: unknown[]): void;
}

/** Everything that happens during a run, in order, for reporters to render. */
export type RunEvent =
  | { type: "run:start"; pipeline: string; tasks: readonly string[]; at: number }
  | { type: "task:start"; task: string; attempt: number; decision: TaskDecision; at: number }
  | { type: "task:cached"; task: string; decision: TaskDecision; resultType?: string | undefined; at: number }
  /** `branch`: the label (`Clean[3]`) when a branch of a mapped task ran the process. */
  | { type: "task:process"; task: string; process: string; durationMs: number; branch?: string | undefined; at: number }
  /** A branch of a mapped task finished running: its counts so far (for live progress). */
  | { type: "task:branch"; task: string; branches: BranchReport; at: number }
  | { type: "task:retry"; task: string; attempt: number; delayMs: number; error: unknown; at: number }
  | { type: "task:done"; task: string; record: TaskRecord; at: number }
  | { type: "task:fail"; task: string; record: TaskRecord; error: unknown; at: number }
  | { type: "task:skip"; task: string; record: TaskRecord; at: number }
  | { type: "warn"; message: string; task?: string | undefined; at: number }
  | { type: "run:end"; summary: RunSummary; at: number };

/**
 * The logger contract: per-task loggers plus run events. `@lp/logging` implements it
 * with consola; core ships a plain one and a silent one.
 */
export interface LoggerProvider {
  /** A logger tagged with the task's name. Called once per task per run. */
  forTask(task: string, pipeline: string): Logger;
  /** Receives every run event. */
  event(event: RunEvent): void;
  /**
   * Told where a pipeline belongs when the provider is given to it, so that file logs can
   * land beside the pipeline's results (`<home>/<pipeline>/logs`).
   */
  locate?(pipeline: string, location: PipelineLocation): void;
  /** Flushes files and stops live output; awaited at the end of each run. */
  flush?(): void | Promise<void>;
  /**
   * Erases a live line (a progress line) from the terminal so that someone else can print,
   * such as the shell on Ctrl-C; it is drawn again with the next update.
   * @returns whether a line was erased
   */
  clearLive?(): boolean;
  /** The folder a pipeline's task logs go to, when the provider writes files. */
  logDir?(pipeline: string): string | undefined;
  /** The file a task's lines go to, when the provider writes files. */
  logFile?(task: string, pipeline: string): string | undefined;
  /**
   * A task's logged lines from earlier runs, oldest first (what `lp logs TASK` prints), when
   * the provider writes files; empty when the task never logged.
   */
  taskLog?(task: string, pipeline: string): string[];
  /**
   * Changes how much is printed from now on, also for task loggers already handed out.
   * The shell's `log LEVEL` and `lp run --quiet` call it when present; a provider without
   * it is wrapped in a filter instead.
   */
  setLevel?(level: LogLevelName): void;
  /** Prints nothing more until `setLevel` is called (files, if any, may keep recording). */
  quiet?(): void;
}
