import { createRequire } from "node:module";
import { formatWithOptions, inspect } from "node:util";
import type { Logger } from "@lp/core";
import { errorMessage, formatDuration } from "@lp/core/internal";
import type { ConsolaInstance, ConsolaOptions, ConsolaReporter, LogObject } from "consola/core";
import { LOGGER_METHODS, type LogRecord, type LoggerMethod } from "./record.js";

/** consola log types for the logger's methods; the numbers only order them, filtering is done by the outputs. */
const TYPES: Record<LoggerMethod, { level: number }> = {
  critical: { level: 0 },
  error: { level: 0 },
  warn: { level: 1 },
  success: { level: 3 },
  info: { level: 3 },
  perf: { level: 4 },
  debug: { level: 5 },
  trace: { level: 5 },
};

type LogFn = (...args: unknown[]) => void;

// Loaded on first use: a run whose tasks never log (most of them) needs no consola, and
// every start would otherwise pay for loading it.
let consola: typeof import("consola/core") | undefined;
const loadConsola = () => (consola ??= createRequire(import.meta.url)("consola/core") as typeof import("consola/core"));

function isMethod(type: string): type is LoggerMethod {
  return Object.hasOwn(LOGGER_METHODS, type);
}

/** Log arguments as one string, like `console.log`; a value that cannot be shown is named, not fatal. */
export function formatArgs(args: readonly unknown[]): string {
  try {
    return formatWithOptions({ colors: false, depth: 4 }, ...args);
  } catch {
    return args
      .map((a) => {
        if (typeof a === "string") return a;
        try {
          return inspect(a, { depth: 2 });
        } catch (error) {
          return `[unprintable value: ${errorMessage(error)}]`;
        }
      })
      .join(" ");
  }
}

/** A consola log object as a record. Formatting follows `console.log` (`%s`, objects inspected). */
export function recordOf(obj: LogObject): LogRecord {
  const { level, kind } = LOGGER_METHODS[isMethod(obj.type) ? obj.type : "info"];
  const data = obj.data as Record<string, unknown> | undefined;
  return {
    at: obj.date.getTime(),
    level,
    kind,
    who: obj.tag,
    task: obj.tag || undefined,
    pipeline: typeof obj.pipeline === "string" ? obj.pipeline : undefined,
    message: formatArgs(obj.args),
    data,
  };
}

/**
 * The root consola instance every task logger is tagged from, made when a task first logs. It lets everything through
 * (throttling off too, so repeated lines are never dropped) and hands each log object,
 * as a record, to `write`; the outputs apply their own levels, which can change while
 * task loggers are alive.
 */
export function rootConsola(write: (record: LogRecord) => void): ConsolaInstance {
  const reporter: ConsolaReporter = {
    log(obj) {
      write(recordOf(obj));
    },
  };
  return loadConsola().createConsola({
    level: Number.POSITIVE_INFINITY,
    reporters: [reporter],
    throttle: 0,
    types: TYPES as unknown as ConsolaOptions["types"],
    defaults: {},
  });
}

/**
 * A task's logger (`this.logger` in its processes): a consola instance tagged with the
 * task's name, with the seed's levels (`success`, `critical`, `trace`). `perf` lines read
 * `extract finished (in 0:00.12)` and carry `durationMs`. Nothing a call does, not even a
 * value that fails to format, reaches the task.
 */
export function taskLogger(root: () => ConsolaInstance, task: string, pipeline: string): Required<Logger> {
  // Made on first use: most tasks never log, and a tagged consola instance costs ~70 µs and
  // a few KB, which a run of 10,000 tasks would pay for nothing.
  let tagged: Record<LoggerMethod, LogFn> | undefined;
  const call = (method: LoggerMethod, args: unknown[]) => {
    try {
      tagged ??= root().withTag(task).withDefaults({ pipeline } as Parameters<ConsolaInstance["withDefaults"]>[0]) as unknown as Record<LoggerMethod, LogFn>;
      tagged[method](...args);
    } catch {
      // A logger must never fail the task that uses it.
    }
  };
  return {
    debug: (m: unknown, ...a: unknown[]) => call("debug", [m, ...a]),
    trace: (m: unknown, ...a: unknown[]) => call("trace", [m, ...a]),
    info: (m: unknown, ...a: unknown[]) => call("info", [m, ...a]),
    success: (m: unknown, ...a: unknown[]) => call("success", [m, ...a]),
    warn: (m: unknown, ...a: unknown[]) => call("warn", [m, ...a]),
    error: (m: unknown, ...a: unknown[]) => call("error", [m, ...a]),
    critical: (m: unknown, ...a: unknown[]) => call("critical", [m, ...a]),
    perf: (message: unknown, durationMs: unknown) => {
      let text: string;
      let ms: number;
      try {
        ms = Number(durationMs);
        text = `${String(message)}${Number.isFinite(ms) ? ` (in ${formatDuration(ms)})` : ""}`;
      } catch {
        return;
      }
      call("perf", [{ message: text, data: { durationMs: Number.isFinite(ms) ? ms : null } }]);
    },
  } as Required<Logger>;
}
