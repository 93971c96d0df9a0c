import type { Logger, LoggerProvider, RunEvent } from "../contracts/logger.js";
import { errorMessage } from "../errors.js";
import { formatDuration } from "./format.js";

const noop = () => {};

/** A logger provider that prints nothing: for benchmarks and embedding. */
export function silentLogger(): LoggerProvider {
  const logger: Logger = { debug: noop, info: noop, warn: noop, error: noop, perf: noop };
  return { forTask: () => logger, event: noop };
}

/**
 * Plain text in the seed's shape (`TaskTwo : DONE : (in 0:02.50)`), no colours or files.
 * Core's default, so that `@lp/core` alone still tells a person what happened;
 * `@lp/logging` is the full-featured one.
 */
export function plainLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): LoggerProvider {
  let width = 0;
  const line = (who: string, kind: string, message: string) => write(`${who.padEnd(width)} : ${kind} : ${message}`);
  return {
    forTask(task) {
      const log = (kind: string) => (message: string) => line(task, kind, message);
      return { debug: noop, info: log("INFO"), warn: log("WARN"), error: log("FAIL"), perf: noop };
    },
    event(e: RunEvent) {
      switch (e.type) {
        case "run:start":
          width = Math.max("Pipeline complete!".length, ...e.tasks.map((t) => t.length));
          return line("Starting pipeline...", "EXEC", `'${e.pipeline}' (${e.tasks.length} tasks)`);
        case "task:start":
          return line(e.task, "EXEC", e.attempt > 1 ? `Retrying (attempt ${e.attempt})...` : "Running...");
        case "task:cached":
          return line(e.task, "SKIP", `Using cached results${e.resultType ? ` (${e.resultType})` : ""}`);
        case "task:done":
          return line(e.task, "DONE", `(in ${formatDuration(e.record.durationMs)})`);
        case "task:fail":
          return line(e.task, "FAIL", errorMessage(e.error));
        case "task:skip":
          return line(e.task, "SKIP", e.record.decision?.text ?? "skipped");
        case "warn":
          return line(e.task ?? "Pipeline", "WARN", e.message);
        case "run:end": {
          const t = e.summary.totals;
          if (e.summary.interrupted) {
            line("Pipeline stopped!", "STOP", `Interrupted after ${formatDuration(e.summary.durationMs)}; ran ${t.executed}/${t.total} tasks, finished results kept`);
            return;
          }
          line("Pipeline complete!", "DONE", `Ran ${t.executed}/${t.total} tasks in ${formatDuration(e.summary.durationMs)}`);
          if (t.skipped) line("Pipeline complete!", "SKIP", `Skipped ${t.skipped}`);
          if (t.failed + t.upstreamFailed) line("Pipeline complete!", "FAIL", `Failed ${t.failed + t.upstreamFailed}`);
          return;
        }
        default:
          return;
      }
    },
  };
}
