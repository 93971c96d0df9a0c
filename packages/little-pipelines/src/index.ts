/**
 * little-pipelines: cached, dependency-aware data pipelines on one machine.
 * This package wires the defaults together — the cacache store, the consola logger,
 * every expiry strategy — and re-exports each package's public API.
 */
export { Pipeline } from "./pipeline.js";
export type { ExecuteOptions, PipelineOptions } from "./pipeline.js";

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
  MemoryStore,
  MissingDependencyError,
  MissingRunError,
  NoResultError,
  NotADependencyError,
  NotAListError,
  NoSuchBranchError,
  NotInPipelineError,
  PipelineBusyError,
  PipelineValidationError,
  ProcessNameError,
  SerializationError,
  StoreError,
  TASK_LOG_LEVELS,
  Task,
  TaskFailedError,
  TaskTimeoutError,
  UnknownTaskError,
  UnreadableResultError,
  NeverSettledError,
  EscapedError,
  TaskExitError,
  ResultTooLargeError,
  UnknownOptionError,
  bytesSerializer,
  clearBranch,
  clearResults,
  findTasks,
  getBranchResult,
  inProcessExecutor,
  inputFiles,
  isMainModule,
  jsonSerializer,
  plainLogger,
  pruneResults,
  resultsSize,
  silentLogger,
  task,
  v8Serializer,
} from "@lp/core";
// The seed exposes its duration format; the umbrella keeps it public.
export { formatDuration } from "@lp/core/internal";
export type {
  AnyLpErrorCode,
  AnyProcess,
  BranchContext,
  BranchReport,
  BranchResult,
  FileMap,
  MapOver,
  AttemptRequest,
  AttemptResult,
  Executor,
  ExecutorChoice,
  ExpiryPolicy,
  Logger,
  LoggerProvider,
  LazyResultMeta,
  LogLevelName,
  LpErrorCode,
  ResultMeta,
  ResultOf,
  ResultStore,
  RetryOptions,
  RunEvent,
  EscapedReport,
  RunSummary,
  Serializer,
  TaskContext,
  TaskDecision,
  TaskLogger,
  TaskLogLevel,
  TaskOptions,
  TaskRecord,
  TaskState,
  TaskStatus,
} from "@lp/core";

export { ExpiryArgumentError, ExpiryWarning, atDatetime, atMidnight, expire, fromNow, fromToday, monthly, never, onComplete, session, weekly } from "@lp/expiry";
export type { ExpiryErrorCode } from "@lp/expiry";
export { LogFileError, createLogger } from "@lp/logging";
export type { LoggerOptions, LoggingErrorCode, LpLogger } from "@lp/logging";
export { CacacheStore, CacheIntegrityWarning, CacheNameClashError, CacheReadOnlyError, CacheSymlinkError, cacacheStore } from "@lp/cache";
export type { CacheErrorCode, CacacheStoreInit, CacacheStoreOptions } from "@lp/cache";
export { ReportWriteError, StateMismatchError, renderReport, renderTree, toDot, toMermaid, vizStates, writeReport } from "@lp/viz";
export type { GraphTextOptions, ReportOptions, TreeOptions, VizErrorCode, VizState } from "@lp/viz";
export { NoPipelineExportError, PipelineFileError, PipelineLoadError, Shell, ShellError, TypeScriptLoaderError, UnknownCommandError, UsageError } from "@lp/shell";
export type { ShellErrorCode, ShellOptions } from "@lp/shell";
export { ThreadsExecutor, WorkerCrashError, WorkerLoadError, threadsExecutor } from "@lp/threads";
export type { ThreadsOptions } from "@lp/threads";
