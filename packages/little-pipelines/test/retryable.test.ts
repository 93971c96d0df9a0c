import * as cache from "@lp/cache";
import * as core from "@lp/core";
import * as expiry from "@lp/expiry";
import * as logging from "@lp/logging";
import * as shell from "@lp/shell";
import * as threads from "@lp/threads";
import * as viz from "@lp/viz";
import { isRetryable } from "@lp/core/internal";
import { describe, expect, it } from "vitest";

const PACKAGES = { core, cache, expiry, logging, shell, threads, viz };
const io = Object.assign(new Error("EIO: i/o error"), { code: "EIO" });

/**
 * Every exported error class with whether a task's retries may try again after it, and one
 * instance to check. A class missing here fails the test: each new class must be decided.
 */
const EXPECTED: Record<string, [retryable: boolean, make: () => core.LpError]> = {
  // Mistakes in the pipeline, its options or its input: the next attempt would fail the same way.
  MissingDependencyError: [false, () => new core.MissingDependencyError("T", "Totl", "Total")],
  CycleError: [false, () => new core.CycleError(["A", "B", "A"])],
  DuplicateTaskError: [false, () => new core.DuplicateTaskError("T")],
  MissingRunError: [false, () => new core.MissingRunError("T")],
  PipelineValidationError: [false, () => new core.PipelineValidationError("P", [new core.MissingDependencyError("T", "Totl")])],
  UnknownTaskError: [false, () => new core.UnknownTaskError("P", "Totl", "Total")],
  InvalidOptionError: [false, () => new core.InvalidOptionError("execute()", "concurrency", "a number from 1 and up", 0)],
  UnknownOptionError: [false, () => new core.UnknownOptionError("execute()", "concurency", ["concurrency"])],
  BranchFailureError: [false, () => new core.BranchFailureError("T", 2, [{ index: 1, label: "T[1]", error: new Error("x") }])],
  NotAListError: [false, () => new core.NotAListError("T", "U", 3)],
  NoSuchBranchError: [false, () => new core.NoSuchBranchError("T", 9, 'Task "T" has no branch 9.')],
  DependencyFailure: [false, () => new core.DependencyFailure("T", ["U"])],
  NotADependencyError: [false, () => new core.NotADependencyError("T", "U")],
  NoResultError: [false, () => new core.NoResultError("P", "T")],
  SerializationError: [false, () => new core.SerializationError("T", "a function")],
  DeserializationError: [false, () => new core.DeserializationError("T", "bad bytes")],
  ProcessNameError: [false, () => new core.ProcessNameError("T", "anonymous process")],
  NotInPipelineError: [false, () => new core.NotInPipelineError("T")],
  PipelineBusyError: [false, () => new core.PipelineBusyError("P")],
  ResultTooLargeError: [false, () => new core.ResultTooLargeError("T", 2 ** 31)],
  NeverSettledError: [false, () => new core.NeverSettledError("T")],
  EscapedError: [false, () => new core.EscapedError("T", new Error("late"))],
  TaskExitError: [false, () => new core.TaskExitError("T", 1)],
  AbortedError: [false, () => new core.AbortedError("T")],
  CacheSymlinkError: [false, () => new cache.CacheSymlinkError("/tmp/x")],
  CacheNameClashError: [false, () => new cache.CacheNameClashError("Report", "/tmp/report", "report")],
  CacheReadOnlyError: [
    false,
    () => new cache.CacheReadOnlyError("/ro/cache", "/ro", "create the cache", Object.assign(new Error("EROFS"), { code: "EROFS" })),
  ],
  ExpiryArgumentError: [false, () => new expiry.ExpiryArgumentError("weekly", "days[1]", "expected a weekday.")],
  ExpiryWarning: [false, () => new expiry.ExpiryWarning("atDatetime", "is in the past.")],
  ShellError: [false, () => new shell.ShellError("LP_USAGE", "bad")],
  UnknownCommandError: [false, () => new shell.UnknownCommandError("staus", "status")],
  UsageError: [false, () => new shell.UsageError("peek", "needs a task name.")],
  PipelineFileError: [false, () => new shell.PipelineFileError("p.js", "does not exist")],
  NoPipelineExportError: [false, () => new shell.NoPipelineExportError("p.js", [])],
  PipelineLoadError: [false, () => new shell.PipelineLoadError("p.js", new Error("boom"))],
  TypeScriptLoaderError: [false, () => new shell.TypeScriptLoaderError("p.ts", new Error("no tsx"))],
  WorkerLoadError: [false, () => new threads.WorkerLoadError("T", "cannot load")],
  StateMismatchError: [false, () => new viz.StateMismatchError("toMermaid()", "P", "Other")],
  // Faults a retry can fix: I/O, timeouts, lost workers, damaged results computed anew.
  TaskTimeoutError: [true, () => new core.TaskTimeoutError("T", 1000)],
  UnreadableResultError: [true, () => new core.UnreadableResultError("P", "T", "has a damaged body")],
  StoreError: [true, () => new core.StoreError("the store failed", io)],
  InputFileError: [true, () => new core.InputFileError("T", "data.csv", "cannot be read", io)],
  TaskFailedError: [true, () => new core.TaskFailedError("T", "failed", new Error("flaky"))],
  CacheIntegrityWarning: [true, () => new cache.CacheIntegrityWarning("body-corrupt", "/tmp/c", "corrupt", "T")],
  LogFileError: [true, () => new logging.LogFileError("/tmp/T.log", "T", io)],
  WorkerCrashError: [true, () => new threads.WorkerCrashError("T", 1, "out of memory")],
  ReportWriteError: [true, () => new viz.ReportWriteError("/tmp/r.html", io)],
  // Shared by every package's errors; a bare LpError thrown by a task's own code is retried like any error.
  LpError: [true, () => new core.LpError("LP_CUSTOM", "a fault of the task's own")],
};

describe("retryable is decided by error class", () => {
  const classes = new Map<string, unknown>();
  for (const mod of Object.values(PACKAGES)) {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "function" && (value === core.LpError || value.prototype instanceof core.LpError)) classes.set(name, value);
    }
  }

  it("lists every exported error class, so a new class must be decided", () => {
    expect([...classes.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s", (name, [retryable, make]) => {
    const error = make();
    expect(error).toBeInstanceOf(classes.get(name) as new () => unknown);
    expect(error.constructor.name).toBe(name);
    expect(error.retryable).toBe(retryable);
    expect(isRetryable(error)).toBe(retryable);
  });

  it("an input file that is missing is not retried; one that could not be read is", () => {
    expect(new core.InputFileError("T", "dta/x.csv", "does not exist").retryable).toBe(false);
    expect(new core.InputFileError("T", "x.csv", "cannot be read", io).retryable).toBe(true);
  });

  it("a failed task is as retryable as the error it failed with", () => {
    expect(new core.TaskFailedError("T", "failed", new core.NoResultError("P", "U")).retryable).toBe(false);
    expect(new core.TaskFailedError("T", "failed", "plain string").retryable).toBe(true);
  });
});
