import { formatWithOptions, inspect } from "node:util";
import type { Logger } from "@lp/core";
import { errorMessage, formatDuration } from "@lp/core/internal";
import { type ConsolaInstance, type ConsolaOptions, type ConsolaReporter, type LogObject, createConsola } from "consola/core";
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
    time: obj.date,
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
 * The root consola instance every task logger is tagged from. It lets everything through
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
  return createConsola({
    level: Number.POSITIVE_INFINITY,
    reporters: [reporter],
    throttle: 0,
    types: TYPES as unknown as ConsolaOptions["types"],
    defaults: {},
  });
}

/** Runs a log call so that nothing, not even a value that fails to format, reaches the task. */
function guarded(fn: LogFn): LogFn {
  return (...args) => {
    try {
      fn(...args);
    } catch {
      // A logger must never fail the task that uses it.
    }
  };
}

/**
 * A task's logger (`this.logger` in its processes): a consola instance tagged with the
 * task's name, with the seed's levels (`success`, `critical`, `trace`). `perf` lines read
 * `extract finished (in 0:00.12)` and carry `durationMs`.
 */
export function taskLogger(root: ConsolaInstance, task: string, pipeline: string): Required<Logger> {
  // Made on first use: most tasks never log, and a tagged consola instance costs ~70 µs and
  // a few KB, which a run of 10,000 tasks would pay for nothing.
  let tagged: Record<LoggerMethod, LogFn> | undefined;
  const c = () =>
    (tagged ??= root.withTag(task).withDefaults({ pipeline } as Parameters<ConsolaInstance["withDefaults"]>[0]) as unknown as Record<
      LoggerMethod,
      LogFn
    >);
  return {
    debug: guarded((m, ...a) => c().debug(m, ...a)),
    trace: guarded((m, ...a) => c().trace(m, ...a)),
    info: guarded((m, ...a) => c().info(m, ...a)),
    success: guarded((m, ...a) => c().success(m, ...a)),
    warn: guarded((m, ...a) => c().warn(m, ...a)),
    error: guarded((m, ...a) => c().error(m, ...a)),
    critical: guarded((m, ...a) => c().critical(m, ...a)),
    perf: guarded((message, durationMs) => {
      const ms = Number(durationMs);
      const took = Number.isFinite(ms) ? ` (in ${formatDuration(ms)})` : "";
      c().perf({ message: `${String(message)}${took}`, data: { durationMs: Number.isFinite(ms) ? ms : null } });
    }),
  } as Required<Logger>;
}
