import type { AttemptRequest, AttemptResult, Executor, ResultBytes } from "../contracts/executor.js";
import type { TaskLogger } from "../contracts/logger.js";
import { AbortedError, EscapedError, NeverSettledError, TaskExitError, TaskTimeoutError } from "../errors.js";
import type { Pipeline } from "../pipeline.js";
import type { Task } from "../task/task.js";
import { type AbortWatcher, unwatchAbort, watchAbort } from "./abort-watch.js";
import { type EscapeSink, runAsTask } from "./task-context.js";

/** What one attempt of a task needs from the run. */
export interface AttemptEnv {
  pipeline: Pipeline;
  /** Carries the attempt out; the run keeps its timeout and abort here. */
  executor: Executor;
  logger: TaskLogger;
  attempt: number;
  runSignal: AbortSignal;
  /** Aborted when the event loop runs dry while the attempt is awaited. */
  drained: AbortSignal;
  /** The run's receiver of errors escaping the task's code after the attempt has settled. */
  escapes?: EscapeSink | undefined;
  readResult(name: string): Promise<ResultBytes>;
  /** `branch`: the label of the mapped branch that ran the process. */
  onProcess(name: string, durationMs: number, branch?: string): void;
  /** For one branch of a mapped task: its position, element and label (`Clean[3]`). */
  branch?: { index: number; item: unknown; label: string } | undefined;
}

/** Attempts left running after a timeout: a retry waits for them so attempts never overlap. */
export class AbandonedWork {
  readonly #pending = new Set<Promise<unknown>>();

  add(work: Promise<unknown>): void {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
  }

  /** Resolves once every abandoned attempt has settled. */
  settled(): Promise<void> {
    return Promise.all(this.#pending).then(() => {});
  }
}

/**
 * Has the executor run one attempt of a task under its timeout and the run's abort
 * signal. Resolves with the serialized result; rejects with the task's error, a
 * TaskTimeoutError or an AbortedError. An attempt that ignores its signal is left
 * behind, not awaited.
 */
export function runAttempt(task: Task<unknown>, abandoned: AbandonedWork, env: AttemptEnv): Promise<AttemptResult> {
  return new Promise<AttemptResult>((resolve, reject) => new LiveAttempt(task, abandoned, env, resolve, reject).start());
}

const runOn = (executor: Executor, request: AttemptRequest) => executor.run(request);

/** One attempt in flight: what can stop it, and the signal its code may ask for. */
class LiveAttempt implements AbortWatcher {
  readonly #task: Task<unknown>;
  readonly #abandoned: AbandonedWork;
  readonly #env: AttemptEnv;
  readonly #resolve: (result: AttemptResult) => void;
  readonly #reject: (error: unknown) => void;
  // Made only when asked for (`this.signal`, an executor that forwards it): most attempts never look.
  #controller: AbortController | undefined;
  #stoppedWith: { reason: unknown } | undefined;
  #settled = false;
  #timer: NodeJS.Timeout | undefined;
  #work: Promise<AttemptResult> | undefined;

  constructor(task: Task<unknown>, abandoned: AbandonedWork, env: AttemptEnv, resolve: (result: AttemptResult) => void, reject: (error: unknown) => void) {
    this.#task = task;
    this.#abandoned = abandoned;
    this.#env = env;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(): void {
    const task = this.#task;
    const env = this.#env;
    watchAbort(env.runSignal, this);
    if (!this.#settled) watchAbort(env.drained, this);
    if (task.timeout !== undefined && !this.#settled) {
      this.#timer = setTimeout(() => this.#stop(new TaskTimeoutError(env.branch?.label ?? task.name, task.timeout!)), task.timeout);
    }
    // Run as the task, so that an error escaping its code later can be put down to it.
    let work: Promise<AttemptResult>;
    try {
      work = runAsTask({ task: task.name, run: env.escapes, attempt: this }, runOn, env.executor, this.#request());
    } catch (error) {
      work = Promise.reject(error);
    }
    this.#work = work;
    if (this.#settled) this.#abandoned.add(work);
    work.then(
      (result) => {
        if (this.#settle()) this.#resolve(result);
      },
      (error: unknown) => {
        if (this.#settle()) this.#reject(error);
      },
    );
  }

  #request(): AttemptRequest {
    const { pipeline, readResult, onProcess } = this.#env;
    const task = this.#task;
    const env = this.#env;
    const branch = env.branch ? { index: env.branch.index, item: env.branch.item } : undefined;
    const identity = { pipeline: pipeline.name, task: task.name, module: task.definedIn, codeDigest: task.codeDigest(), attempt: env.attempt, branch };
    const attempt = this;
    return {
      identity,
      task,
      pipeline,
      get logger() {
        return env.logger;
      },
      readResult,
      onProcess,
      get signal() {
        return attempt.#signal();
      },
    };
  }

  #signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#stoppedWith) this.#controller.abort(this.#stoppedWith.reason);
    }
    return this.#controller.signal;
  }

  /** The run was stopped, or the event loop ran dry with the attempt still awaited. */
  onAbort(signal: AbortSignal): void {
    this.#stop(signal === this.#env.runSignal ? new AbortedError(this.#task.name) : new NeverSettledError(this.#task.name));
  }

  /** An error escaping the task's code while the attempt runs fails the attempt; false once it has settled. */
  escaped(error: unknown): boolean {
    if (this.#settled) return false;
    // process.exit() called from a timer of the task's: that error says it best.
    this.#stop(error instanceof TaskExitError && error.task === this.#task.name ? error : new EscapedError(this.#task.name, error));
    return true;
  }

  /** Stopped from outside: the attempt fails now, its code is told through its signal and left behind. */
  #stop(error: unknown): void {
    if (!this.#settle()) return;
    this.#stoppedWith = { reason: error };
    this.#controller?.abort(error);
    if (this.#work) this.#abandoned.add(this.#work);
    this.#reject(error);
  }

  /** Marks the attempt settled; false when it already was. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#timer) clearTimeout(this.#timer);
    unwatchAbort(this.#env.runSignal, this);
    unwatchAbort(this.#env.drained, this);
    return true;
  }
}

/** Waits `ms`, or less when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
