/**
 * Log levels from least to most verbose. `perf` sits between `info` and `debug`:
 * process timings are worth seeing when tuning a pipeline, not on every run.
 */
export const LOG_LEVELS: readonly LogLevelName[] = ["silent", "error", "warn", "info", "perf", "debug"];

/** A level a threshold can be set to, from least to most verbose; `silent` shows nothing. */
export type LogLevelName = "silent" | "error" | "warn" | "info" | "perf" | "debug";

/** The level of one log line (every level except `silent`). */
export type LineLevel = Exclude<LogLevelName, "silent">;

/** Names from the seed (loguru) and common loggers, accepted for convenience. */
const ALIASES: Readonly<Record<string, LogLevelName>> = {
  warning: "warn",
  critical: "error",
  fatal: "error",
  success: "info",
  trace: "debug",
  quiet: "silent",
  off: "silent",
  none: "silent",
};

/** Rank of a level: a line shows when its rank is at most the threshold's. */
export function levelRank(level: LogLevelName): number {
  return LOG_LEVELS.indexOf(level);
}

/**
 * Ranks by name, for {@link levelAllows}: asked for every line of a run. No prototype, so a
 * name such as `constructor` is unknown rather than an inherited function.
 */
const RANK: Readonly<Record<string, number | undefined>> = Object.assign(Object.create(null) as Record<string, number>, {
  silent: 0,
  error: 1,
  warn: 2,
  info: 3,
  perf: 4,
  debug: 5,
});

/** Whether a line at `level` passes a `threshold`. */
export function levelAllows(threshold: LogLevelName, level: LineLevel): boolean {
  // An unknown name ranks below every level, as its place in LOG_LEVELS (-1) did.
  return threshold !== "silent" && (RANK[level] ?? -1) <= (RANK[threshold] ?? -1);
}

/** A level name from user input, case-insensitive, with aliases; `undefined` when unknown. */
export function matchLevel(input: unknown): LogLevelName | undefined {
  if (typeof input !== "string") return undefined;
  const name = input.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(name)) return name as LogLevelName;
  return ALIASES[name];
}
