import type { TaskLogger } from "./logger.js";
import type { Pipeline } from "../pipeline.js";
import type { ProcessTiming } from "../contracts/summary.js";
import type { Task } from "../task/task.js";

/**
 * Who a task attempt is, as plain data: enough for a process that has only the pipeline's
 * source files (another thread, or another machine) to load the same task and check that
 * it runs the same code.
 */
export interface TaskIdentity {
  /** The pipeline's name. */
  pipeline: string;
  /** The task's name. */
  task: string;
  /** Absolute path of the module that defines the task (`task.definedIn`), when known. */
  module: string | undefined;
  /** The task's code digest as the scheduler computed it (`task.codeDigest()`). */
  codeDigest: string;
  /** 1 on the first try, 2 on the first retry … */
  attempt: number;
  /**
   * For one branch of a mapped task: its position and element (`this.index`, `this.item`).
   * The element is plain data (structured-clonable) so it can travel to a worker.
   */
  branch?: { index: number; item: unknown } | undefined;
}

/** A stored or just-produced result as bytes, with the name of the serializer that wrote them. */
export interface ResultBytes {
  body: Uint8Array;
  serializer: string;
  /**
   * The value itself, when the run hands it over instead of a copy: a big result this run
   * produced in this process, read by the last dependent that will read it. An executor
   * that sends results elsewhere uses the bytes.
   */
  value?: unknown;
}

/**
 * One attempt of one task, handed by the scheduler to an executor. `identity` is all a
 * remote executor needs to send; the rest are the scheduler's ends of the channels the
 * attempt talks through.
 */
export interface AttemptRequest {
  identity: TaskIdentity;
  /** The task as loaded in this process; a remote executor loads its own from `identity.module`. */
  task: Task<unknown>;
  /** The pipeline running it; `this.pipeline` for an attempt that runs in this process. */
  pipeline: Pipeline;
  /** Aborted on Ctrl-C, `execute({ signal })` or the task's timeout: stop the attempt and free its resources. */
  signal: AbortSignal;
  /** The task's logger: lines an attempt logs go here, in order. */
  logger: TaskLogger;
  /**
   * Another task's result as bytes: this run's copy while it is held, else the stored one.
   * Rejects with `NoResultError` when there is none, `UnknownTaskError` for a name the
   * pipeline does not have. Whether the task may read it (`this.result()` only reads
   * dependencies) is the executor's check.
   */
  readResult(name: string): Promise<ResultBytes>;
  /** Reports that a process call finished (for live progress and `perf` logs). */
  onProcess(name: string, durationMs: number): void;
}

/** What an attempt hands back: the serialized result and what the scheduler records about it. */
export interface AttemptResult {
  /** The result, serialized with the task's serializer. */
  body: Uint8Array;
  /**
   * Name of the serializer that reads `body` back, when the task's serializer picked
   * another per value (see `Serializer.encode`); the task's own when left out.
   */
  serializer?: string;
  /** `describeType()` of the value, e.g. `"Array(3)"`. */
  type: string;
  /** Whether the value was `null` or `undefined`. */
  empty: boolean;
  /** Whether `body` is the serializer's own fresh memory (see `EncodedResult.owned`): stored without a copy. */
  owned?: boolean;
  /** Per-process call counts and durations. */
  processes: ProcessTiming[];
  /**
   * The value itself, when the attempt ran in this process: kept as the task's last result
   * (`task.result`). An attempt that ran elsewhere leaves it out.
   */
  value?: unknown;
  /**
   * A copy of the value equal to what reading `body` back gives, held by no one else, when
   * the serializer made one (see `EncodedResult.copy`): the run may hand it to the first
   * reader instead of decoding the body. An attempt that ran elsewhere leaves it out.
   */
  copy?: { value: unknown };
  /** Where the attempt ran, when elsewhere than this process (e.g. `host:pid` of a remote worker); kept in the run summary. */
  ranOn?: string;
}

/**
 * Carries out task attempts. The scheduler in `@lp/core` keeps every decision — what runs,
 * in which order, freshness, retries, timeouts, failure policy, expiry, early cutoff — and
 * hands an executor one attempt at a time. The executor runs the task's `run` process
 * somewhere (this thread, a worker thread, another machine) and resolves with the
 * serialized result, or rejects with the task's error (its `name`, `message`, `code` and
 * `stack` kept). An error with `retryable: false` is not retried.
 *
 * @example
 * const pipeline = new Pipeline("Daily", { executor: threadsExecutor({ threads: 4 }) });
 */
export interface Executor {
  /** Shown in output and errors, e.g. `"in-process"`, `"threads"`. */
  readonly name: string;
  /**
   * How many attempts it runs at once; the run never starts more (so a task's timeout
   * never ticks while it waits in a queue). Unbounded when absent.
   */
  readonly capacity?: number;
  /**
   * Runs one attempt.
   * @throws the task's error, `AbortedError`/`TaskTimeoutError` after `signal` aborts, or an
   *   `LpError` of the executor's own (a crashed worker, a task that could not be loaded)
   */
  run(request: AttemptRequest): Promise<AttemptResult>;
  /** Releases threads, connections or processes. Called by the pipeline for executors it created. */
  close?(): Promise<void>;
}
