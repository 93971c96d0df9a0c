/**
 * little-pipelines: cached, dependency-aware data pipelines on one machine.
 * This package wires the defaults together — the cacache store, the consola logger,
 * every expiry strategy — and re-exports each package's public API.
 */
export { Pipeline } from "./pipeline.js";
export type { ExecuteOptions, PipelineOptions } from "./pipeline.js";

export {
  AbortedError,
  CycleError,
  DependencyFailure,
  DuplicateTaskError,
  InputFileError,
  InvalidOptionError,
  LpError,
  MemoryStore,
  MissingDependencyError,
  MissingRunError,
  NoResultError,
  NotADependencyError,
  PipelineValidationError,
  SerializationError,
  StoreError,
  TASK_LOG_LEVELS,
  Task,
  TaskFailedError,
  TaskTimeoutError,
  UnknownTaskError,
  bytesSerializer,
  clearResults,
  findTasks,
  formatDuration,
  inProcessExecutor,
  isMainModule,
  jsonSerializer,
  plainLogger,
  pruneResults,
  resultsSize,
  silentLogger,
  task,
  v8Serializer,
} from "@lp/core";
export type {
  AnyProcess,
  AttemptRequest,
  AttemptResult,
  Executor,
  ExecutorChoice,
  ExpiryPolicy,
  Logger,
  LoggerProvider,
  ResultMeta,
  ResultOf,
  ResultStore,
  RetryOptions,
  RunEvent,
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

export { atDatetime, atMidnight, expire, fromNow, fromToday, monthly, never, onComplete, session, weekly } from "@lp/expiry";
export { createLogger } from "@lp/logging";
export type { LoggerOptions, LpLogger } from "@lp/logging";
export { CacacheStore, cacacheStore } from "@lp/cache";
export type { CacacheStoreInit, CacacheStoreOptions } from "@lp/cache";
export { ReportWriteError, StateMismatchError, renderReport, renderTree, toDot, toMermaid, vizStates, writeReport } from "@lp/viz";
export type { GraphTextOptions, ReportOptions, TreeOptions, VizState } from "@lp/viz";
export { Shell } from "@lp/shell";
export { ThreadsExecutor, WorkerCrashError, WorkerLoadError, threadsExecutor } from "@lp/threads";
export type { ThreadsOptions } from "@lp/threads";
export type { ShellOptions } from "@lp/shell";
