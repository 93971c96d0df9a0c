/**
 * little-pipelines: cached, dependency-aware data pipelines on one machine.
 * This package wires the defaults together — the cacache store, the consola logger,
 * every expiry strategy — and re-exports each package's public API.
 */
export { Pipeline } from "./pipeline.js";
export type { PipelineOptions } from "./pipeline.js";

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
  Task,
  TaskTimeoutError,
  UnknownTaskError,
  bytesSerializer,
  clearResults,
  jsonSerializer,
  plainLogger,
  pruneResults,
  renderReport,
  renderTree,
  resultsSize,
  silentLogger,
  task,
  toDot,
  toMermaid,
  v8Serializer,
  vizStates,
  writeReport,
} from "@lp/core";
export type {
  AnyProcess,
  ExecuteOptions,
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
  TaskOptions,
  TaskRecord,
  TaskState,
  TaskStatus,
  VizState,
} from "@lp/core";

export { atDatetime, atMidnight, expire, fromNow, fromToday, monthly, never, onComplete, session, weekly } from "@lp/expiry";
export { createLogger } from "@lp/logging";
export type { LoggerOptions, LpLogger } from "@lp/logging";
export { CacacheStore, cacacheStore } from "@lp/cache";
export { Shell } from "@lp/shell";
export type { ShellOptions } from "@lp/shell";
