import { InvalidOptionError, type LogLevelName } from "@lp/core";
import { LOG_LEVELS, type LineLevel, levelAllows, levelRank, matchLevel } from "@lp/core/internal";

// The level names, their order and aliases are core's, shared with the shell.
export { LOG_LEVELS, levelRank, matchLevel };
export type { LineLevel, LogLevelName };

/** Whether a line at `level` passes a `threshold`. */
export const allows: (threshold: LogLevelName, level: LineLevel) => boolean = levelAllows;

/**
 * Parses a level name as typed by a person (`DEBUG`, `perf`, `warning` …).
 * @param where - what is being configured, for the error message
 * @param option - the option or variable name, for the error message
 * @throws InvalidOptionError naming the option and the accepted levels
 * @example parseLevel("LOG", "level", "PERF") // "perf"
 */
export function parseLevel(input: unknown, where = "parseLevel()", option = "level"): LogLevelName {
  const level = matchLevel(input);
  if (level === undefined) throw new InvalidOptionError(where, option, `one of ${LOG_LEVELS.join(", ")}`, input);
  return level;
}
