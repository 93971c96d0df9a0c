import { type LogLevelName, type Logger, type LoggerProvider, type RunEvent, silentLogger } from "@lp/core";
import { LOG_LEVELS, type LineLevel, levelAllows, matchLevel } from "@lp/core/internal";
import { UsageError } from "../errors.js";

/**
 * Log levels the shell's `log` command accepts: core's names, order and aliases, the same
 * as `@lp/logging`'s. `perf` (process timings) sits between `debug` and `info`.
 */
export type LogLevel = LogLevelName;

/**
 * A level name as typed (`DEBUG`, `warning` …) in canonical form.
 * @throws UsageError naming the accepted levels
 */
export function parseLevel(typed: string): LogLevel {
  const level = matchLevel(typed);
  if (!level) throw new UsageError("log", `unknown level "${typed}"; use one of ${[...LOG_LEVELS].reverse().join(", ")}.`, "log <LEVEL>");
  return level;
}


function eventLevel(event: RunEvent): LineLevel {
  switch (event.type) {
    case "task:fail":
      return "error";
    case "warn":
    case "task:retry":
      return "warn";
    case "task:process":
      return "perf";
    default:
      return "info";
  }
}

/** Wraps a provider so that only messages and events at `level` or above reach it. */
function filtered(base: LoggerProvider, level: LogLevel): LoggerProvider {
  return {
    forTask(task, pipeline) {
      const inner = base.forTask(task, pipeline);
      const gate = (at: LineLevel, fn: (message: string, ...args: unknown[]) => void) => (message: string, ...args: unknown[]) => {
        if (levelAllows(level, at)) fn.call(inner, message, ...args);
      };
      const logger: Logger = {
        debug: gate("debug", inner.debug),
        info: gate("info", inner.info),
        warn: gate("warn", inner.warn),
        error: gate("error", inner.error),
        perf: (message, ms) => {
          if (levelAllows(level, "perf")) inner.perf(message, ms);
        },
      };
      return logger;
    },
    event(event) {
      if (levelAllows(level, eventLevel(event))) base.event(event);
    },
    ...(base.flush ? { flush: () => base.flush!() } : {}),
    ...(base.clearLive ? { clearLive: () => base.clearLive!() } : {}),
  };
}

/**
 * Changes how much a pipeline's logger prints. A provider with its own `setLevel()` /
 * `quiet()` is asked to change; any other provider is left intact and wrapped (or, for
 * `silent`, replaced by core's silent logger), so `log info` can bring it back.
 */
export class LevelControl {
  readonly #base: LoggerProvider;
  #level: LogLevel = "info";

  /** @param target - the object whose `logger` is read and replaced: the pipeline */
  constructor(readonly target: { logger: LoggerProvider }) {
    this.#base = target.logger;
  }

  /** The level last set (`info` until one is). */
  get level(): LogLevel {
    return this.#level;
  }

  set(level: LogLevel): void {
    const base = this.#base;
    if (level === "silent" && typeof base.quiet === "function") {
      base.quiet();
      this.target.logger = base;
    } else if (typeof base.setLevel === "function") {
      base.setLevel(level);
      this.target.logger = base;
    } else if (level === "silent") {
      this.target.logger = silentLogger();
    } else {
      this.target.logger = level === "info" ? base : filtered(base, level);
    }
    this.#level = level;
  }
}
