import type { AttemptRequest, AttemptResult, Executor, ResultBytes } from "../contracts/executor.js";
import type { TaskLogger } from "../contracts/logger.js";
import { AbortedError, EscapedError, NeverSettledError, TaskExitError, TaskTimeoutError } from "../errors.js";
import { type AttemptHandle, isPromiseLike, runTaskAttemptNow } from "../executor/attempt.js";
import { inProcessExecutor, readValue } from "../executor/in-process.js";
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
  /** Whether the run may read the result ahead, so that the serializer makes a copy (see `AttemptHandle.wantsCopy`). */
  wantsCopy?(value: unknown): boolean;
  /** Whether a result this attempt gives at once is stored before anything else runs (see `AttemptHandle.savedAtOnce`). */
  savedAtOnce?: boolean;
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
 * signal. Gives the serialized result, at once when the attempt ran on this thread and its
 * `run` returned a plain value, else through a promise; throws or rejects with the task's
 * error, a TaskTimeoutError or an AbortedError. An attempt that ignores its signal is left
 * behind, not awaited.
 */
export function runAttempt(task: Task<unknown>, abandoned: AbandonedWork, env: AttemptEnv): AttemptResult | Promise<AttemptResult> {
  return new LiveAttempt(task, abandoned, env).start();
}

const runOn = (executor: Executor, request: AttemptRequest) => executor.run(request);

/**
 * One attempt in flight: what can stop it, and the signal its code may ask for. On this
 * thread it is also the attempt's handle (see executor/attempt.ts): no request is made.
 */
class LiveAttempt implements AbortWatcher, AttemptHandle {
  readonly #task: Task<unknown>;
  readonly #abandoned: AbandonedWork;
  readonly #env: AttemptEnv;
  #resolve: ((result: AttemptResult) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  // Made only when asked for (`this.signal`, an executor that forwards it): most attempts never look.
  #controller: AbortController | undefined;
  #stoppedWith: { reason: unknown } | undefined;
  #settled = false;
  // True only while the task's code is called on the fast path: a result it gives then is handed on at once.
  #atOnce = false;
  #timer: NodeJS.Timeout | undefined;
  #work: Promise<AttemptResult> | undefined;

  constructor(task: Task<unknown>, abandoned: AbandonedWork, env: AttemptEnv) {
    this.#task = task;
    this.#abandoned = abandoned;
    this.#env = env;
  }

  start(): AttemptResult | Promise<AttemptResult> {
    const task = this.#task;
    const env = this.#env;
    // On this thread, with no timeout and nothing stopping the run, the task's code runs
    // first: only a `run` that turns out asynchronous needs watching (most tasks do not).
    if (env.executor === inProcessExecutor && task.timeout === undefined && !env.runSignal.aborted && !env.drained.aborted) {
      let out: AttemptResult | Promise<AttemptResult>;
      this.#atOnce = env.savedAtOnce === true;
      try {
        // As the task, so that an error escaping its code later can be put down to it.
        out = runAsTask({ task: task.name, run: env.escapes, attempt: this }, runTaskAttemptNow, task, this);
      } catch (error) {
        this.#settled = true;
        throw error;
      } finally {
        this.#atOnce = false;
      }
      if (!isPromiseLike(out)) {
        this.#settled = true;
        return out;
      }
      const work = out;
      return new Promise<AttemptResult>((resolve, reject) => {
        this.#resolve = resolve;
        this.#reject = reject;
        this.#watch();
        this.#follow(work);
      });
    }
    return new Promise<AttemptResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#watch();
      let work: Promise<AttemptResult>;
      try {
        work = runAsTask({ task: task.name, run: env.escapes, attempt: this }, runOn, env.executor, this.#request());
      } catch (error) {
        work = Promise.reject(error);
      }
      this.#follow(work);
    });
  }

  /** Listens for what can stop the attempt from outside: the run's abort, the event loop running dry, the timeout. */
  #watch(): void {
    const task = this.#task;
    const env = this.#env;
    watchAbort(env.runSignal, this);
    if (!this.#settled) watchAbort(env.drained, this);
    if (task.timeout !== undefined && !this.#settled) {
      this.#timer = setTimeout(() => this.#stop(new TaskTimeoutError(env.branch?.label ?? task.name, task.timeout!)), task.timeout);
    }
  }

  #follow(work: Promise<AttemptResult>): void {
    this.#work = work;
    if (this.#settled) this.#abandoned.add(work);
    work.then(
      (result) => {
        if (this.#settle()) this.#resolve!(result);
      },
      (error: unknown) => {
        if (this.#settle()) this.#reject!(error);
      },
    );
  }

  // The attempt's handle on this thread: what `this` in the task's processes reads.
  get pipeline(): Pipeline {
    return this.#env.pipeline;
  }

  get logger(): TaskLogger {
    return this.#env.logger;
  }

  get signal(): AbortSignal {
    return this.#signal();
  }

  get attempt(): number {
    return this.#env.attempt;
  }

  get branch(): { index: number; item: unknown } | undefined {
    const branch = this.#env.branch;
    return branch ? { index: branch.index, item: branch.item } : undefined;
  }

  readResult(name: string): Promise<unknown> {
    const env = this.#env;
    return readValue(env.pipeline, name, env.readResult(name));
  }

  onProcess(name: string, durationMs: number): void {
    this.#env.onProcess(name, durationMs);
  }

  wantsCopy(value: unknown): boolean {
    return this.#env.wantsCopy?.(value) === true;
  }

  savedAtOnce(): boolean {
    return this.#atOnce;
  }

  #request(): AttemptRequest {
    const task = this.#task;
    const env = this.#env;
    const { pipeline } = env;
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
      readResult: (name) => env.readResult(name),
      onProcess: (name, ms) => env.onProcess(name, ms),
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
    this.#reject!(error);
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
