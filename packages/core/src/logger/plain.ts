import type { Logger, LoggerProvider, RunEvent } from "../contracts/logger.js";
import { COMPLETE, type EventStyle, eventLines } from "./event-lines.js";
import { type LineLevel, levelAllows } from "./levels.js";

const noop = () => {};

/** Lines at info and above, without JSON data: all this logger prints. */
const PLAIN_STYLE: EventStyle = { processTimings: false, data: false, debug: false };

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
 * `@lp/logging` is the full-featured one and prints the same lines.
 *
 * @param write - where each line goes. @default a line on stdout
 */
export function plainLogger(write: (line: string) => void = writeToConsole): LoggerProvider {
  let width = 0;
  // Lines at info and above, like the seed; the shell's `log LEVEL` filters around it.
  const line = (level: LineLevel, who: string, kind: string, message: string) => {
    if (levelAllows("info", level)) write(`${who.padEnd(width)} : ${kind} : ${message}`);
  };
  return {
    forTask(task) {
      const log = (kind: string) => (message: string) => line("info", task, kind, message);
      return { debug: noop, info: log("INFO"), warn: log("WARN"), error: log("ERROR"), perf: noop };
    },
    event(e: RunEvent) {
      if (e.type === "run:start") width = Math.max(COMPLETE.length, ...e.tasks.map((t) => t.length));
      for (const l of eventLines(e, PLAIN_STYLE)) {
        line(l.level, l.who, l.kind, l.message);
        if (levelAllows("info", l.level)) for (const note of l.notes ?? []) write(`${" ".repeat(width + 3)}${note}`);
      }
    },
  };
}
