import { formatWithOptions, inspect } from "node:util";
import { type Logger, errorMessage, formatDuration } from "@lp/core";
import { type ConsolaInstance, type ConsolaOptions, type ConsolaReporter, type LogObject, createConsola } from "consola/core";
import type { LineLevel } from "./levels.js";
import { KIND_OF_LEVEL, type LogRecord } from "./record.js";

/** consola log types for our levels; the numbers only order them, filtering is done by the outputs. */
const TYPES: Partial<Record<LineLevel, { level: number }>> = { error: { level: 0 }, warn: { level: 1 }, info: { level: 3 }, perf: { level: 4 }, debug: { level: 5 } };

type LogFn = (...args: unknown[]) => void;

function isLineLevel(type: string): type is LineLevel {
  return Object.hasOwn(KIND_OF_LEVEL, type);
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
  const level = isLineLevel(obj.type) ? obj.type : "info";
  const data = obj.data as Record<string, unknown> | undefined;
  return {
    time: obj.date,
    level,
    kind: KIND_OF_LEVEL[level],
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
 * task's name. `perf` lines read `extract finished (in 0:00.12)` and carry `durationMs`.
 */
export function taskLogger(root: ConsolaInstance, task: string, pipeline: string): Logger {
  const tagged = root.withTag(task).withDefaults({ pipeline } as Parameters<ConsolaInstance["withDefaults"]>[0]);
  const c = tagged as unknown as Record<LineLevel, LogFn>;
  return {
    debug: guarded((m, ...a) => c.debug(m, ...a)),
    info: guarded((m, ...a) => c.info(m, ...a)),
    warn: guarded((m, ...a) => c.warn(m, ...a)),
    error: guarded((m, ...a) => c.error(m, ...a)),
    perf: guarded((message, durationMs) => {
      const ms = Number(durationMs);
      const took = Number.isFinite(ms) ? ` (in ${formatDuration(ms)})` : "";
      c.perf({ message: `${String(message)}${took}`, data: { durationMs: Number.isFinite(ms) ? ms : null } });
    }),
  } as Logger;
}
