import { TASK_LOG_LEVELS, type Logger, type TaskLogger } from "../contracts/logger.js";
import { InvalidOptionError } from "../errors.js";

type Method = Exclude<keyof TaskLogger, "log">;
type Call = (message: string, ...args: unknown[]) => void;

const METHOD_OF: Readonly<Record<(typeof TASK_LOG_LEVELS)[number], Method>> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  success: "success",
  warn: "warn",
  warning: "warn",
  error: "error",
  critical: "critical",
};

/**
 * The full seed-style logger over a provider's logger: optional levels fall back to the
 * nearest required one, and every call goes through `gate`, which the run uses to keep a
 * task's lines after its `EXEC` line and its upstreams' `DONE` lines.
 * @param base - the provider's logger, or a function that gets it on the first line logged
 *   (most tasks log nothing, and a provider's logger may cost more than the task)
 * @param where - names the task in errors, e.g. `Task "Load"`
 */
export function toTaskLogger(base: Logger | (() => Logger), where: string, gate: (call: () => void) => void = (call) => call()): TaskLogger {
  let got: Logger | undefined = typeof base === "function" ? undefined : base;
  const real = (): Logger => (got ??= (base as () => Logger)());
  const pick = (name: keyof Logger, fallback: keyof Logger): Call => {
    return (message, ...args) =>
      gate(() => {
        const to = real();
        ((to[name] ?? to[fallback]) as Call).call(to, message, ...args);
      });
  };
  const logger: TaskLogger = {
    debug: pick("debug", "debug"),
    info: pick("info", "info"),
    warn: pick("warn", "warn"),
    warning: pick("warn", "warn"),
    error: pick("error", "error"),
    perf: (message, durationMs) => gate(() => real().perf(message, durationMs)),
    success: pick("success", "info"),
    critical: pick("critical", "error"),
    trace: pick("trace", "debug"),
    log(level, message, ...args) {
      const method = typeof level === "string" ? METHOD_OF[level.toLowerCase() as keyof typeof METHOD_OF] : undefined;
      if (!method) throw new InvalidOptionError(`${where}: logger.log()`, "level", `one of ${TASK_LOG_LEVELS.join(", ")}`, level);
      (logger[method] as Call)(message, ...args);
    },
  };
  return logger;
}

/** A level a forwarded log line carries: every level of a task logger. */
export type ForwardedLevel = "trace" | "debug" | "info" | "success" | "warn" | "error" | "critical" | "perf";

/**
 * A task logger whose every call is handed to `send` as data: for an attempt that runs
 * away from the run's logger (a worker thread, another machine). `perf` sends its duration
 * as the one argument.
 * @param where - names the task in errors, e.g. `Task "Load"`
 */
export function forwardingTaskLogger(where: string, send: (level: ForwardedLevel, message: string, args: unknown[]) => void): TaskLogger {
  const at =
    (level: ForwardedLevel): Call =>
    (message, ...args) =>
      send(level, message, args);
  return toTaskLogger(
      {
        trace: at("trace"),
        debug: at("debug"),
        info: at("info"),
        success: at("success"),
        warn: at("warn"),
        error: at("error"),
        critical: at("critical"),
        perf: (message, durationMs) => send("perf", message, [durationMs]),
      },
    where,
  );
}
