/**
 * `@lp/core/internal`: the rules the little-pipelines packages share, each written once —
 * how a name becomes a folder and where a pipeline's files live, colour detection, log-level
 * names, the text of run events, errors as plain data, the sha256 digest, the expiry check,
 * the freshness decision — and small helpers they reuse.
 *
 * For the sibling packages only. Not covered by semver: anything here may change or go in
 * any release. Applications use the main entry, `@lp/core`.
 */
export { MAX_NAME_BYTES, nameOfSafeName, safeName } from "./location/folder-name.js";
export {
  type Env,
  HOME_ENV,
  PROJECT_FOLDER,
  type PipelineLocation,
  findProjectRoot,
  locatePipeline,
  pipelineFolder,
  pipelineLogFolder,
  resultsHome,
  sharedHome,
} from "./location/results-home.js";

export { wantsColor } from "./logger/color.js";
export type { ColorTarget } from "./logger/color.js";
export { LOG_LEVELS, levelAllows, levelRank, matchLevel } from "./logger/levels.js";
export type { LineLevel } from "./logger/levels.js";
export { COMPLETE, STARTING, STOPPED, cachedMessage, doneMessage, eventLines, processLine, reasonMessage, startMessage } from "./logger/event-lines.js";
export type { EventLine, EventStyle } from "./logger/event-lines.js";
export { describeTotals, describeType, endLine, formatBytes, formatDuration } from "./logger/format.js";
export type { EndLine } from "./logger/format.js";

export { describeValue, errorMessage, isRetryable } from "./errors.js";
export { errorFromWire, errorInfo, errorToWire } from "./executor/wire-error.js";
export type { WireError } from "./executor/wire-error.js";
export { runTaskAttempt } from "./executor/attempt.js";
export type { AttemptHandle } from "./executor/attempt.js";
export { installWorkerHooks, workerHooks } from "./executor/worker-hooks.js";
export type { WorkerHooks } from "./executor/worker-hooks.js";
export { readStored } from "./run/read.js";
export { currentTask } from "./run/task-context.js";
export type { EscapeSink } from "./run/task-context.js";
export { containEscapes } from "./run/contain.js";
export { loadWithoutRunning } from "./run/load-only.js";
export { type ForwardedLevel, forwardingTaskLogger, toTaskLogger } from "./logger/task-logger.js";
export { digestBytes } from "./fingerprint/hash.js";
export { firstUserFrame, skipCallSitesUnder } from "./fingerprint/call-site.js";
export { closestName } from "./graph/suggest.js";

export { expiryReason, isExpired } from "./freshness/expiry.js";
export { decideFreshness, decideTask } from "./freshness/decide.js";
export type { FreshnessInput, TaskFreshness, TaskFreshnessInput } from "./freshness/decide.js";
export { describeReason } from "./freshness/reason.js";
export { sessionId } from "./freshness/session.js";
export { neverExpires } from "./store/cache-tools.js";
export { builtinSerializers } from "./serializers/registry.js";
export { findUnserializable } from "./serializers/v8.js";
