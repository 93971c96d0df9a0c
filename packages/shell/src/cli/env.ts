import { UsageError } from "../errors.js";

/** Environment variables `lp` and the pipelines it loads read, for `lp --help`. */
export const ENV_HELP = `Environment variables:
  LP_HOME          Folder for results and logs (default: the project's .little_pipelines)
  LP_LOG_LEVEL     Console level: silent, error, warn, info, perf, debug
                   (the seed's TRACE, SUCCESS, WARNING, CRITICAL work too)
  LP_LOG_DIR       Folder for task log files
  LP_LOG_STREAM    Where run output goes: stdout or stderr (lp sets stderr when
                   stdout is not a terminal or --json is given)
  NO_COLOR         Turn colour off; FORCE_COLOR turns it on`;

/** Levels `LP_LOG_LEVEL` accepts, case-insensitive: ours, then the seed's (loguru) names. */
const LEVELS = ["silent", "error", "warn", "info", "perf", "debug"];
const SEED_LEVELS = ["trace", "success", "warning", "critical"];

/**
 * Rejects environment variables with values nothing would accept, before a pipeline loads.
 * @throws UsageError naming the variable and the values it accepts
 */
export function checkEnv(env: NodeJS.ProcessEnv): void {
  const level = env.LP_LOG_LEVEL;
  if (level !== undefined && level !== "" && ![...LEVELS, ...SEED_LEVELS].includes(level.trim().toLowerCase())) {
    throw new UsageError("lp", `LP_LOG_LEVEL="${level}" is not a level; use one of ${LEVELS.join(", ")} (or the seed's ${SEED_LEVELS.join(", ")}).`);
  }
  const stream = env.LP_LOG_STREAM;
  if (stream !== undefined && stream !== "" && stream !== "stdout" && stream !== "stderr") {
    throw new UsageError("lp", `LP_LOG_STREAM="${stream}" is not a stream; use stdout or stderr.`);
  }
}
