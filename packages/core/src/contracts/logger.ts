import type { PipelineLocation } from "../location/results-home.js";
import type { RunSummary, TaskDecision, TaskRecord } from "../run/summary.js";

/** A task's logger: what processes see as `this.logger`. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  /** Timing records; core logs every process's duration here. */
  perf(message: string, durationMs: number): void;
}

/** Everything that happens during a run, in order, for reporters to render. */
export type RunEvent =
  | { type: "run:start"; pipeline: string; tasks: readonly string[]; at: number }
  | { type: "task:start"; task: string; attempt: number; decision: TaskDecision; at: number }
  | { type: "task:cached"; task: string; decision: TaskDecision; resultType?: string | undefined; at: number }
  | { type: "task:process"; task: string; process: string; durationMs: number; at: number }
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
}
