import { silentLogger, type Logger, type LoggerProvider, type RunEvent } from "@lp/core";
import { UsageError } from "../errors.js";

/**
 * Log levels the shell's `log` command accepts, most verbose first. `perf` (process
 * timings) sits between `debug` and `info`, as in `@lp/logging`.
 */
export type LogLevel = "debug" | "perf" | "info" | "warn" | "error" | "silent";

const ORDER: readonly LogLevel[] = ["debug", "perf", "info", "warn", "error", "silent"];
const ALIASES: Record<string, LogLevel> = {
  trace: "debug",
  success: "info",
  warning: "warn",
  critical: "error",
  fatal: "error",
  quiet: "silent",
  off: "silent",
  none: "silent",
};

/**
 * A level name as typed (`DEBUG`, `warning` …) in canonical form.
 * @throws UsageError naming the accepted levels
 */
export function parseLevel(typed: string): LogLevel {
  const name = typed.trim().toLowerCase();
  const level = (ORDER as readonly string[]).includes(name) ? (name as LogLevel) : ALIASES[name];
  if (!level) throw new UsageError("log", `unknown level "${typed}"; use one of ${ORDER.join(", ")}.`, "log <LEVEL>");
  return level;
}

/** A provider that can change its own level, like `@lp/logging`'s. */
interface Levelled {
  setLevel?(level: string): void;
  quiet?(): void;
}

const enabled = (level: LogLevel, at: LogLevel) => ORDER.indexOf(at) >= ORDER.indexOf(level);

function eventLevel(event: RunEvent): LogLevel {
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
      const gate = (at: LogLevel, fn: (message: string, ...args: unknown[]) => void) => (message: string, ...args: unknown[]) => {
        if (enabled(level, at)) fn.call(inner, message, ...args);
      };
      const logger: Logger = {
        debug: gate("debug", inner.debug),
        info: gate("info", inner.info),
        warn: gate("warn", inner.warn),
        error: gate("error", inner.error),
        perf: (message, ms) => {
          if (enabled(level, "perf")) inner.perf(message, ms);
        },
      };
      return logger;
    },
    event(event) {
      if (enabled(level, eventLevel(event))) base.event(event);
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
    const base = this.#base as LoggerProvider & Levelled;
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
