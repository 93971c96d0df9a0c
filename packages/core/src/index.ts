export { Pipeline } from "./pipeline.js";
export type { ExecuteOptions, PipelineOptions, TaskStatus } from "./pipeline.js";
export { Task, task, RESERVED_PROCESS_NAMES } from "./task/task.js";
export type { TaskInit } from "./task/task.js";
export { findTasks } from "./task/find-tasks.js";
export type { AnyProcess, Processes, ResultOf, RetryOptions, RunResult, SeedThis, TaskContext, TaskOptions } from "./task/types.js";

export type { ExpiryPolicy } from "./contracts/expiry.js";
export type { Logger, LoggerProvider, RunEvent, TaskLogger, TaskLogLevel } from "./contracts/logger.js";
export { TASK_LOG_LEVELS } from "./contracts/logger.js";
export type { Serializer } from "./contracts/serializer.js";
export type { PipelineLocation } from "./location/results-home.js";
export type { FingerprintComponents, PruneReport, ResultMeta, ResultStore, StoreOption, StoredResult } from "./contracts/store.js";
export type { AttemptRequest, AttemptResult, Executor, ResultBytes, TaskIdentity } from "./contracts/executor.js";
export type { ExecutorChoice, ExecutorFactories } from "./executor/choose.js";
export type { AttemptHandle } from "./executor/attempt.js";
export type { WorkerHooks } from "./executor/worker-hooks.js";
export type { WireError } from "./executor/wire-error.js";
export { inProcessExecutor } from "./executor/in-process.js";
export { runTaskAttempt } from "./executor/attempt.js";
export { installWorkerHooks, workerHooks } from "./executor/worker-hooks.js";
export { errorFromWire, errorToWire } from "./executor/wire-error.js";
export { readStored } from "./run/read.js";
export { toTaskLogger } from "./logger/task-logger.js";
export type { ProcessTiming, Reason, RunSummary, RunTotals, TaskDecision, TaskRecord, TaskState } from "./run/summary.js";

export { MemoryStore } from "./store/memory-store.js";
export { clearResults, isExpired, neverExpires, pruneResults, resultsSize } from "./store/cache-tools.js";
export { v8Serializer, findUnserializable } from "./serializers/v8.js";
export { jsonSerializer } from "./serializers/json.js";
export { bytesSerializer } from "./serializers/bytes.js";
export { builtinSerializers } from "./serializers/registry.js";
export { never, onComplete, session } from "./expiry/basic.js";
export { plainLogger, silentLogger } from "./logger/plain.js";
export { formatBytes, formatDuration, describeType, describeTotals, endLine } from "./logger/format.js";
export type { EndLine } from "./logger/format.js";
export { describeReason, decideFreshness } from "./run/freshness.js";
export type { FreshnessInput } from "./run/freshness.js";
export { SESSION_ID } from "./run/session.js";
export { isMainModule, loadWithoutRunning } from "./run/load-only.js";
export { digestBytes } from "./fingerprint/hash.js";
export { firstUserFrame, skipCallSitesUnder } from "./fingerprint/call-site.js";
export type { CodeFingerprint } from "./fingerprint/code-hash.js";
export { closestName } from "./graph/suggest.js";

export {
  AbortedError,
  CycleError,
  DependencyFailure,
  DuplicateTaskError,
  InputFileError,
  InvalidOptionError,
  LpError,
  MissingDependencyError,
  MissingRunError,
  NoResultError,
  UnreadableResultError,
  NotADependencyError,
  PipelineValidationError,
  SerializationError,
  StoreError,
  TaskFailedError,
  TaskTimeoutError,
  UnknownTaskError,
  describeValue,
  errorMessage,
} from "./errors.js";
export type { AnyLpErrorCode, LpErrorCode } from "./errors.js";
