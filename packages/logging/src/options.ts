import { InvalidOptionError } from "@lp/core";
import { wantsColor } from "@lp/core/internal";
import type { OutputStream } from "./console-sink.js";
import type { Env, LogDirOption } from "./files/log-dir.js";
import { type LogLevelName, parseLevel } from "./levels.js";

const WHERE = "createLogger()";

/** Options of {@link createLogger}. Every one is optional. */
export interface LoggerOptions {
  /**
   * Console threshold: `silent`, `error`, `warn`, `info`, `perf` (adds each process's
   * duration) or `debug`. Case-insensitive; the seed's names (`WARNING`, `TRACE` …) work too.
   * @default the `LP_LOG_LEVEL` environment variable, else "info"
   */
  level?: LogLevelName | (string & {});
  /** Threshold for task log files, apart from the console's so that `quiet()` keeps files complete. @default "debug" */
  fileLevel?: LogLevelName | (string & {});
  /** `pretty`: the seed's aligned lines for people; `json`: one JSON object per line for machines (console and files). @default "pretty" */
  format?: "pretty" | "json";
  /** Print a timing table when a run ends: tasks and their processes, slowest first, and the critical path. @default false */
  timings?: boolean;
  /**
   * Show each process's time as it finishes at the default level, as the seed did
   * (`TaskTwo : DONE : extract (in 0:01.50)`); otherwise they are `PERF` lines, shown from level `perf`.
   * @default false
   */
  processTimings?: boolean;
  /**
   * Folder for task log files (`<task>.log`), a function of the pipeline's name giving one,
   * or `false` for no files.
   * @default `LP_LOG_DIR`, else `LOG_DIR`, else `<LP_HOME or ~/.little_pipelines>/<pipeline>/logs`
   */
  logDir?: LogDirOption;
  /** A log file is rotated (renamed `<task>~<time>.log`) when a line would take it past this size. `Infinity` never rotates. @default 1048576 (1 MB) */
  rotateBytes?: number;
  /** Rotated files and idle log files older than this many days are deleted. `Infinity` keeps them. @default 30 */
  retainDays?: number;
  /** Where console output goes. @default process.stdout, or process.stderr when `LP_LOG_STREAM=stderr` (as `lp` sets when stdout carries a result) */
  stream?: OutputStream;
  /** Colour output. @default true when `stream` is a TTY and `NO_COLOR` is not set (`FORCE_COLOR` forces it) */
  color?: boolean;
  /** A live line at the bottom showing running tasks, done/total and elapsed time, redrawn in place. @default true when `stream` is a TTY */
  progress?: boolean;
  /** How often the progress line is redrawn between events, in ms; 0 redraws on events only. @default 100 */
  progressIntervalMs?: number;
  /** Environment variables to read (`LP_LOG_LEVEL`, `LP_LOG_DIR`, `LOG_DIR`, `LP_HOME`, `NO_COLOR` …). @default process.env */
  env?: Env;
  /** The clock for rotation names and retention, in ms since the epoch. @default Date.now */
  now?: () => number;
}

/** Options with every default filled in and checked. */
export interface ResolvedOptions {
  level: LogLevelName;
  fileLevel: LogLevelName;
  format: "pretty" | "json";
  timings: boolean;
  processTimings: boolean;
  logDir: LogDirOption | undefined;
  rotateBytes: number;
  retainDays: number;
  stream: OutputStream;
  color: boolean;
  progress: boolean;
  progressIntervalMs: number;
  env: Env;
  now: () => number;
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") throw new InvalidOptionError(WHERE, name, "true or false", value);
  return value;
}

function positive(name: string, value: unknown, fallback: number, expected: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) throw new InvalidOptionError(WHERE, name, expected, value);
  return value;
}

/**
 * Fills in defaults and rejects bad options at once, naming the option.
 * @throws InvalidOptionError for a bad option or an unknown `LP_LOG_LEVEL`
 */
export function resolveOptions(options: LoggerOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError(WHERE, "options", "an object", options);
  const env = options.env ?? process.env;
  const level =
    options.level !== undefined
      ? parseLevel(options.level, WHERE, "level")
      : env.LP_LOG_LEVEL
        ? parseLevel(env.LP_LOG_LEVEL, WHERE, "LP_LOG_LEVEL")
        : "info";
  const fileLevel = options.fileLevel === undefined ? "debug" : parseLevel(options.fileLevel, WHERE, "fileLevel");
  const format = options.format ?? "pretty";
  if (format !== "pretty" && format !== "json") throw new InvalidOptionError(WHERE, "format", '"pretty" or "json"', format);
  const logDir = options.logDir;
  if (logDir !== undefined && logDir !== false && typeof logDir !== "function" && (typeof logDir !== "string" || logDir === "")) {
    throw new InvalidOptionError(WHERE, "logDir", "a folder path, a function of the pipeline name, or false", logDir);
  }
  const streamName = env.LP_LOG_STREAM;
  if (streamName !== undefined && streamName !== "" && streamName !== "stdout" && streamName !== "stderr") {
    throw new InvalidOptionError(WHERE, "LP_LOG_STREAM", '"stdout" or "stderr"', streamName);
  }
  const stream = options.stream ?? (streamName === "stderr" ? process.stderr : process.stdout);
  if (typeof stream?.write !== "function") throw new InvalidOptionError(WHERE, "stream", "a writable stream (an object with write())", stream);
  const rotateBytes = positive("rotateBytes", options.rotateBytes, 1024 * 1024, "a number of bytes above 0 (or Infinity)");
  if (Number.isFinite(rotateBytes) && !Number.isInteger(rotateBytes)) {
    throw new InvalidOptionError(WHERE, "rotateBytes", "a whole number of bytes above 0 (or Infinity)", rotateBytes);
  }
  const retainDays = positive("retainDays", options.retainDays, 30, "a number of days above 0 (or Infinity)");
  const intervalInput = options.progressIntervalMs;
  if (intervalInput !== undefined && (typeof intervalInput !== "number" || !(intervalInput >= 0) || !Number.isFinite(intervalInput))) {
    throw new InvalidOptionError(WHERE, "progressIntervalMs", "a number of milliseconds from 0 up", intervalInput);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== "function") throw new InvalidOptionError(WHERE, "now", "a function returning ms since the epoch", now);
  const color = optionalBoolean("color", options.color) ?? wantsColor(stream, env);
  const progress = optionalBoolean("progress", options.progress) ?? (!!stream.isTTY && env.TERM !== "dumb" && !env.CI);
  return {
    level,
    fileLevel,
    format,
    timings: optionalBoolean("timings", options.timings) ?? false,
    processTimings: optionalBoolean("processTimings", options.processTimings) ?? false,
    logDir,
    rotateBytes,
    retainDays,
    stream,
    color,
    progress,
    progressIntervalMs: intervalInput ?? 100,
    env,
    now,
  };
}
