/**
 * `@lp/core`: tasks, pipelines, the scheduler and the freshness decision, plus the contracts
 * (store, serializer, expiry policy, logger) the other packages implement. The rules the
 * sibling packages share live in `@lp/core/internal`, which is not part of this API.
 */
export { Pipeline } from "./pipeline.js";
export type { ExecuteOptions, PipelineOptions, TaskStatus } from "./pipeline.js";
export { Task, task } from "./task/task.js";
export type { TaskInit } from "./task/task.js";
export { findTasks } from "./task/find-tasks.js";
export type { AnyProcess, BranchContext, ItemOf, MappedProcesses, Processes, ResultOf, RetryOptions, RunResult, SeedThis, TaskContext, TaskOptions } from "./task/types.js";
export { inputFiles } from "./map/source.js";
export type { FileMap, MapOver, MapSource } from "./map/source.js";
export { branchOwner } from "./map/branch-key.js";
export { getBranchResult } from "./map/branch-result.js";
export { clearBranch } from "./map/clear.js";
export type { BranchResult } from "./map/branch-result.js";
export type { BranchStatus } from "./map/plan.js";

export type { ExpiryPolicy } from "./contracts/expiry.js";
export type { Logger, LoggerProvider, RunEvent, TaskLogger, TaskLogLevel } from "./contracts/logger.js";
export { TASK_LOG_LEVELS } from "./contracts/logger.js";
export type { LogLevelName } from "./logger/levels.js";
export type { EncodeOptions, EncodedResult, Serializer } from "./contracts/serializer.js";
export type { PipelineLocation } from "./location/results-home.js";
export type { BodySink, FingerprintComponents, LazyResultMeta, PruneReport, PutOptions, ResultMeta, ResultStore, StoreOption, StoredResult } from "./contracts/store.js";
export type { AttemptRequest, AttemptResult, Executor, ResultBytes, TaskIdentity } from "./contracts/executor.js";
export type { ExecutorChoice, ExecutorFactories } from "./executor/choose.js";
export { inProcessExecutor } from "./executor/in-process.js";
export type { BranchReport, EscapedReport, ProcessTiming, RunSummary, RunTotals, TaskRecord, TaskState } from "./contracts/summary.js";
export type { Reason, TaskDecision } from "./freshness/reason.js";

export { MemoryStore } from "./store/memory-store.js";
export { clearResults, pruneResults, resultsSize } from "./store/cache-tools.js";
export { isExpired } from "./freshness/expiry.js";
export { msgpackSerializer } from "./serializers/msgpack.js";
export { v8Serializer } from "./serializers/v8.js";
export { jsonSerializer } from "./serializers/json.js";
export { bytesSerializer } from "./serializers/bytes.js";
export { never, onComplete, session } from "./expiry/basic.js";
export { plainLogger, silentLogger } from "./logger/plain.js";
export { isMainModule } from "./run/load-only.js";
export type { CodeFingerprint } from "./fingerprint/code-hash.js";

export {
  AbortedError,
  BranchFailureError,
  CycleError,
  DependencyFailure,
  DeserializationError,
  DuplicateTaskError,
  InputFileError,
  InvalidOptionError,
  LpError,
  MissingDependencyError,
  MissingRunError,
  NoResultError,
  NotAListError,
  NoSuchBranchError,
  UnreadableResultError,
  NotADependencyError,
  NotInPipelineError,
  PipelineBusyError,
  PipelineValidationError,
  ProcessNameError,
  SerializationError,
  ResultTooLargeError,
  MAX_RESULT_BYTES,
  StoreError,
  TaskFailedError,
  TaskTimeoutError,
  NeverSettledError,
  EscapedError,
  TaskExitError,
  UnknownTaskError,
} from "./errors.js";
export type { AnyLpErrorCode, LpErrorCode } from "./errors.js";
export { UnknownOptionError } from "./task/check-options.js";
