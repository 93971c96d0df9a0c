import type { Logger, LoggerProvider, RunEvent } from "../contracts/logger.js";
import { errorMessage } from "../errors.js";
import { firstUserFrame } from "../fingerprint/call-site.js";
import { endLine, formatDuration } from "./format.js";

const noop = () => {};

/** stdout, or stderr when `LP_LOG_STREAM=stderr` (as `lp` sets when stdout carries a result). */
function writeToConsole(line: string): void {
  (process.env.LP_LOG_STREAM === "stderr" ? process.stderr : process.stdout).write(`${line}\n`);
}

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
export function plainLogger(write: (line: string) => void = writeToConsole): LoggerProvider {
  let width = 0;
  const line = (who: string, kind: string, message: string) => write(`${who.padEnd(width)} : ${kind} : ${message}`);
  return {
    forTask(task) {
      const log = (kind: string) => (message: string) => line(task, kind, message);
      return { debug: noop, info: log("INFO"), warn: log("WARN"), error: log("ERROR"), perf: noop };
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
        case "task:fail": {
          line(e.task, "FAIL", errorMessage(e.error));
          const frame = e.record.state === "failed" ? firstUserFrame(e.error) : undefined;
          if (frame) write(`${" ".repeat(width + 3)}${frame}`);
          return;
        }
        case "task:skip":
          return line(e.task, "SKIP", e.record.decision?.text ?? "skipped");
        case "warn":
          return line(e.task ?? "Pipeline", "WARN", e.message);
        case "run:end": {
          const end = endLine(e.summary);
          return line(end.who, end.kind, end.message);
        }
        default:
          return;
      }
    },
  };
}
