export { createLogger } from "./provider.js";
export type { LpLogger } from "./provider.js";
export type { LoggerOptions } from "./options.js";
export type { OutputStream } from "./console-sink.js";

export { LOG_LEVELS, parseLevel } from "./levels.js";
export type { LineLevel, LogLevelName } from "./levels.js";

export { LogFileError } from "./errors.js";
export type { LoggingErrorCode } from "./errors.js";

export { toFileName, fromFileName } from "./files/file-name.js";
export { lpHome, resolveLogDir } from "./files/log-dir.js";
export type { Env, LogDirOption } from "./files/log-dir.js";

export { runTimings, formatTimings } from "./timings.js";
export type { RunTimings, TaskTiming } from "./timings.js";
