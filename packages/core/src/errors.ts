/** Stable codes of the errors `@lp/core` throws or records. Each other package declares its own. */
export type LpErrorCode =
  | "LP_INVALID_PIPELINE"
  | "LP_CYCLE"
  | "LP_MISSING_DEPENDENCY"
  | "LP_DUPLICATE_TASK"
  | "LP_MISSING_RUN"
  | "LP_UNKNOWN_TASK"
  | "LP_INVALID_OPTION"
  | "LP_PROCESS_NAME"
  | "LP_UNKNOWN_OPTION"
  | "LP_DEPENDENCY_FAILURE"
  | "LP_NOT_A_DEPENDENCY"
  | "LP_NO_RESULT"
  | "LP_RESULT_UNREADABLE"
  | "LP_SERIALIZATION"
  | "LP_DESERIALIZATION"
  | "LP_RESULT_TOO_LARGE"
  | "LP_TIMEOUT"
  | "LP_NEVER_SETTLED"
  | "LP_ESCAPED"
  | "LP_TASK_EXIT"
  | "LP_ABORTED"
  | "LP_INPUT_FILE"
  | "LP_STORE"
  | "LP_BUSY"
  | "LP_NOT_IN_PIPELINE"
  | "LP_TASK_FAILED"
  | "LP_BRANCH_FAILED"
  | "LP_MAP_NOT_A_LIST"
  | "LP_NO_SUCH_BRANCH";

/** Codes of other packages' errors take the same `LP_` form, so one base class serves them all. */
export type AnyLpErrorCode = LpErrorCode | `LP_${string}`;

/**
 * Base class of every little-pipelines error, in every package; `code` is stable across
 * versions and each code belongs to one class. Messages follow one rule: they start with
 * where the problem is (the call, `Task "X"`, `Pipeline "P"` or the file), then say what
 * is wrong and how to fix it; they carry no package tag, since the class and code say that.
 */
export class LpError extends Error {
  readonly code: AnyLpErrorCode;
  /**
   * Whether a task's retries may try again after this error. Each subclass decides: only
   * faults a retry can fix (I/O, timeouts, lost workers) are retryable, mistakes in the
   * pipeline, its options or its input are not. A bare `LpError` thrown by a task's own
   * code is retried like any error unless marked `retryable: false`.
   */
  readonly retryable: boolean;
  constructor(code: AnyLpErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    this.retryable = options?.retryable ?? true;
  }
}

/**
 * Whether a task that threw `error` may be tried again: anything but an error whose class
 * says it would recur. An error rebuilt from another thread carries that verdict as data.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof LpError) return error.retryable;
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}

/** A dependency name that matches no task. */
export class MissingDependencyError extends LpError {
  constructor(
    readonly task: string,
    readonly dependency: string,
    readonly suggestion?: string,
  ) {
    const hint = suggestion
      ? ` Did you mean "${suggestion}"?`
      : dependency === "__proto__"
        ? " No task can have that name (JavaScript objects reserve it); remove it from the dependencies."
        : " Add a task with that name or remove it from the dependencies.";
    super("LP_MISSING_DEPENDENCY", `Task "${task}" depends on "${dependency}", which is not in the pipeline.${hint}`, { retryable: false });
  }
}

/** The dependencies form a cycle; `cycle` lists it with the first task repeated at the end. */
export class CycleError extends LpError {
  constructor(readonly cycle: readonly string[]) {
    super("LP_CYCLE", `Dependency cycle: ${cycle.join(" -> ")}. Remove one of these dependencies.`, { retryable: false });
  }
}

/** Two different tasks share a name. */
export class DuplicateTaskError extends LpError {
  constructor(readonly task: string) {
    super("LP_DUPLICATE_TASK", `Two different tasks are named "${task}". Task names must be unique within a pipeline.`, {
      retryable: false,
    });
  }
}

/** A task has no `run` process. */
export class MissingRunError extends LpError {
  constructor(readonly task: string) {
    super(
      "LP_MISSING_RUN",
      `Task "${task}" has no run process. Register one with task.process(function run() { ... }) or pass { run() { ... } }.`,
      { retryable: false },
    );
  }
}

/** All the problems `validate()` found, each also available in `errors`. */
export class PipelineValidationError extends LpError {
  constructor(
    readonly pipeline: string,
    readonly errors: readonly LpError[],
  ) {
    const lines = errors.map((e) => `  - ${e.message}`).join("\n");
    super(
      "LP_INVALID_PIPELINE",
      `Pipeline "${pipeline}" is not valid (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n${lines}`,
      { retryable: false },
    );
  }
}

/** A task name that the pipeline does not have. */
export class UnknownTaskError extends LpError {
  constructor(
    readonly pipeline: string,
    readonly task: string,
    readonly suggestion?: string,
    /** A message of the subclass's own, for where the name came from (states of another pipeline …). */
    message?: string,
  ) {
    super(
      "LP_UNKNOWN_TASK",
      message ?? `Pipeline "${pipeline}" has no task "${task}".${suggestion ? ` Did you mean "${suggestion}"?` : ""}`,
      { retryable: false },
    );
  }
}

/**
 * An option with a value outside what it accepts: `where: expected \`option\` to be …, got ….`
 * Packages with their own wording (expiry strategies) pass the whole message instead.
 */
export class InvalidOptionError extends LpError {
  constructor(where: string, option: string, expected: string, received: unknown);
  constructor(where: string, option: string, detail: { message: string });
  constructor(
    /** The call or setting at fault, e.g. `execute()`. */
    readonly where: string,
    /** The option at fault, e.g. `concurrency`. */
    readonly option: string,
    expected: string | { message: string },
    received?: unknown,
  ) {
    const message = typeof expected === "string" ? `${where}: expected \`${option}\` to be ${expected}, got ${describeValue(received)}.` : expected.message;
    super("LP_INVALID_OPTION", message, { retryable: false });
  }
}

/**
 * Branches of a mapped task failed; the branches that succeeded are stored and are not
 * run again. `failed` lists each failed branch's index and error.
 */
export class BranchFailureError extends LpError {
  constructor(
    readonly task: string,
    readonly total: number,
    readonly failed: readonly { index: number; label: string; error: unknown }[],
  ) {
    const first = failed[0];
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : "";
    super(
      "LP_BRANCH_FAILED",
      `Task "${task}": ${failed.length} of ${total} branches failed; first ${first?.label}${more}: ${errorMessage(first?.error)}. The ${total - failed.length} that succeeded are stored; the next run re-runs only the failed ones (or set onBranchError: "skip" to accept partial results).`,
      // A failed mapped task is not retried as a whole: each branch had its own retries.
      { cause: first?.error, retryable: false },
    );
  }
}

/** A task mapped over an upstream whose result is not an array. */
export class NotAListError extends LpError {
  constructor(
    readonly task: string,
    readonly upstream: string,
    received: unknown,
  ) {
    super(
      "LP_MAP_NOT_A_LIST",
      `Task "${task}" is mapped over "${upstream}", whose result is ${describeValue(received)}, not an array. Make "${upstream}" return an array, or drop \`map\`.`,
      { retryable: false },
    );
  }
}

/**
 * One branch of a mapped task was asked for (`peek Clean[3]`, `getBranchResult`) that
 * cannot be given: the task is not mapped, the index is out of range, or that branch is
 * not stored. The message names the task, the valid range and what to do.
 */
export class NoSuchBranchError extends LpError {
  constructor(
    readonly task: string,
    readonly index: number,
    message: string,
  ) {
    super("LP_NO_SUCH_BRANCH", message, { retryable: false });
  }
}

/** `pipeline.runTask()` / `task.run()`: the task did not produce a result; `cause` is its error. */
export class TaskFailedError extends LpError {
  constructor(
    readonly task: string,
    readonly state: string,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    // As retryable as the error that made the task fail.
    super("LP_TASK_FAILED", `Task "${task}" ${state === "failed" ? "failed" : `ended ${state}`}: ${why}`, {
      cause,
      retryable: isRetryable(cause),
    });
  }
}

/** Recorded for a task whose upstream failed, under `ifUpstreamErrors: "fail"`. */
export class DependencyFailure extends LpError {
  constructor(
    readonly task: string,
    readonly failed: readonly string[],
    /** A message of its own, for an upstream that ran but whose result could not be kept. */
    message?: string,
  ) {
    super("LP_DEPENDENCY_FAILURE", message ?? `Task "${task}" did not run because its upstream ${failed.map((f) => `"${f}"`).join(", ")} failed.`, {
      retryable: false,
    });
  }
}

/** A task read the result of a task it does not depend on. */
export class NotADependencyError extends LpError {
  constructor(
    readonly task: string,
    readonly other: string,
  ) {
    super(
      "LP_NOT_A_DEPENDENCY",
      `Task "${task}" read the result of "${other}", which is not among its dependencies. Add "${other}" to its dependencies so it runs first.`,
      { retryable: false },
    );
  }
}

/** No stored result for a task. */
export class NoResultError extends LpError {
  constructor(
    readonly pipeline: string,
    readonly task: string,
  ) {
    super("LP_NO_RESULT", `No stored result for task "${task}" in pipeline "${pipeline}". Execute the pipeline (or that task) first.`, {
      retryable: false,
    });
  }
}

/**
 * A stored result that cannot be used: its body is missing or fails verification against
 * its digest, or it was replaced by another process while a run relied on the version it
 * had checked. Nothing wrong is ever returned; running the task again repairs it.
 */
export class UnreadableResultError extends LpError {
  constructor(
    readonly pipeline: string,
    readonly task: string,
    /** What is wrong, completing "The stored result of task X …". */
    readonly reason: string,
  ) {
    super(
      "LP_RESULT_UNREADABLE",
      `The stored result of task "${task}" in pipeline "${pipeline}" ${reason}. Run the pipeline again to compute it anew (\`lp run\`, or execute()); \`lp cache verify\` checks every stored result and runs again those that fail.`,
      // Running the task again computes the result anew.
      { retryable: true },
    );
  }
}

/** A result that the task's serializer cannot store. */
export class SerializationError extends LpError {
  constructor(
    readonly task: string,
    detail: string,
    cause?: unknown,
  ) {
    super(
      "LP_SERIALIZATION",
      `Task "${task}" returned a result that cannot be stored: ${detail}. Return plain data (objects, arrays, Map, Set, Date, Buffers …) or give the task a serializer.`,
      { cause, retryable: false },
    );
  }
}

/** A stored result that cannot be read back: its serializer is gone or its bytes do not decode. */
export class DeserializationError extends LpError {
  constructor(
    readonly task: string,
    message: string,
    cause?: unknown,
  ) {
    super("LP_DESERIALIZATION", message, cause === undefined ? { retryable: false } : { cause, retryable: false });
  }
}

/** A process without a usable name: anonymous, reserved, or taken by another process of the task. */
export class ProcessNameError extends LpError {
  constructor(
    readonly task: string,
    message: string,
  ) {
    super("LP_PROCESS_NAME", message, { retryable: false });
  }
}

/** A task asked for its pipeline (`task.run()`, `task.result`) before being added to one. */
export class NotInPipelineError extends LpError {
  constructor(readonly task: string) {
    super("LP_NOT_IN_PIPELINE", `Task "${task}" is not in a pipeline yet. Add it first: new Pipeline("Name").add(task).`, {
      retryable: false,
    });
  }
}

/** `execute()` was called while the same pipeline was still executing. */
export class PipelineBusyError extends LpError {
  constructor(readonly pipeline: string) {
    super("LP_BUSY", `Pipeline "${pipeline}" is already executing. Wait for that run to finish (await it) before starting another.`, {
      retryable: false,
    });
  }
}

/** Largest serialized result a store is asked to keep: 2 GiB less a byte, what Node can write or read in one piece. */
export const MAX_RESULT_BYTES = 2 ** 31 - 1;

/** A result whose serialized form is too big to store. Not retried: it would be as big again. */
export class ResultTooLargeError extends LpError {
  constructor(
    readonly task: string,
    readonly bytes: number,
  ) {
    super(
      "LP_RESULT_TOO_LARGE",
      `Task "${task}" returned a result of ${bytes} bytes once serialized, more than the ${MAX_RESULT_BYTES} (2 GiB) a result can have. Split it over several tasks, or have the task write the data to a file and return its path.`,
      { retryable: false },
    );
  }
}

/** A task ran longer than its `timeout`. */
export class TaskTimeoutError extends LpError {
  constructor(
    readonly task: string,
    readonly timeoutMs: number,
  ) {
    super("LP_TIMEOUT", `Task "${task}" timed out after ${timeoutMs} ms. Raise its \`timeout\` option or make it faster.`, {
      retryable: true,
    });
  }
}

/**
 * A task whose attempt never finished: the event loop ran dry while it was awaited, so
 * nothing could ever settle it (a promise never resolved, an event that never comes).
 * Not retried: the next attempt would wait the same way.
 */
export class NeverSettledError extends LpError {
  constructor(readonly task: string) {
    super(
      "LP_NEVER_SETTLED",
      `Task "${task}" never finished: it was still waiting when nothing was left that could wake it (a promise that is never resolved or rejected). Make sure every path of its run returns or throws, or give it a \`timeout\`.`,
      { retryable: false },
    );
  }
}

/**
 * An error escaped a task's code while it ran: thrown in a timer or callback, or a
 * promise rejection nobody handled. Left alone it would end the whole process with a raw
 * stack; the run contains it and fails the task it came from instead.
 */
export class EscapedError extends LpError {
  constructor(
    readonly task: string,
    cause: unknown,
  ) {
    super(
      "LP_ESCAPED",
      `Task "${task}": an error escaped its code (thrown in a timer or callback, or a promise rejection nobody handled): ${errorMessage(cause).replace(/\.$/, "")}. Await the work it starts, or catch the error where it is thrown.`,
      { cause, retryable: false },
    );
  }
}

/**
 * A task's code called `process.exit()` while a pipeline ran: that would end the run
 * without a summary (with a success code for `exit(0)`). The call throws this instead, so
 * the task fails and the run goes on.
 */
export class TaskExitError extends LpError {
  constructor(
    readonly task: string,
    readonly exitCode: number | string | null | undefined,
  ) {
    super(
      "LP_TASK_EXIT",
      `Task "${task}" called process.exit(${exitCode ?? ""}), which would end the whole run without a summary. Return a result or throw an error instead.`,
      { retryable: false },
    );
  }
}

/** The run was stopped (signal or SIGINT) before the task finished. */
export class AbortedError extends LpError {
  constructor(readonly task?: string) {
    super("LP_ABORTED", task ? `Task "${task}" was aborted because the run was stopped.` : "The run was stopped.", { retryable: false });
  }
}

/** An input file or glob that cannot be read. */
export class InputFileError extends LpError {
  constructor(
    readonly task: string,
    readonly file: string,
    reason: string,
    cause?: unknown,
  ) {
    // A read that failed may succeed next time; a path that is missing or not a file will not.
    super("LP_INPUT_FILE", `Task "${task}": input file "${file}" ${reason}.`, { cause, retryable: cause !== undefined });
  }
}

/** A store failed in a way that is not a miss. */
export class StoreError extends LpError {
  constructor(message: string, cause?: unknown) {
    super("LP_STORE", message, { cause, retryable: true });
  }
}

/** A short, safe description of any value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return `a function${value.name ? ` (${value.name})` : ""}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : `the date ${value.toISOString()}`;
  const ctor = (value as object).constructor?.name;
  return ctor && ctor !== "Object" ? `an instance of ${ctor}` : "an object";
}

/**
 * Reduces any thrown value to a message for summaries and logs. A value that is not an
 * Error (`throw undefined`, `throw { code: 1 }`) is described as such rather than printed
 * as "undefined" or "[object Object]".
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  let shown: string;
  try {
    shown = typeof error === "object" && error !== null ? (JSON.stringify(error) ?? describeValue(error)) : String(error);
  } catch {
    shown = describeValue(error);
  }
  if (shown.length > 200) shown = `${shown.slice(0, 197)}...`;
  return `threw ${shown}, which is not an Error (throw new Error("…") to give a message)`;
}
