import type { AttemptRequest, AttemptResult, Executor, ResultBytes } from "../contracts/executor.js";
import type { TaskLogger } from "../contracts/logger.js";
import { AbortedError, EscapedError, NeverSettledError, TaskExitError, TaskTimeoutError } from "../errors.js";
import type { Pipeline } from "../pipeline.js";
import type { Task } from "../task/task.js";
import { watchAbort } from "./abort-watch.js";
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
  // Made only when asked for (`this.signal`, an executor that forwards it): most attempts never look.
  let controller: AbortController | undefined;
  let stoppedWith: { reason: unknown } | undefined;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let work: Promise<AttemptResult> | undefined;
  let unwatchRun = noop;
  let unwatchDrained = noop;
  return new Promise<AttemptResult>((resolve, reject) => {
    const settle = () => {
      settled = true;
      if (timer) clearTimeout(timer);
      unwatchRun();
      unwatchDrained();
    };
    // Stopped from outside: the attempt fails now, its code is told through its signal and left behind.
    const stop = (error: unknown) => {
      if (settled) return;
      stoppedWith = { reason: error };
      controller?.abort(error);
      settle();
      if (work) abandoned.add(work);
      reject(error);
    };
    // An error escaping the task's code while the attempt runs fails the attempt.
    const escaped = (error: unknown) => {
      if (settled) return false;
      // process.exit() called from a timer of the task's: that error says it best.
      stop(error instanceof TaskExitError && error.task === task.name ? error : new EscapedError(task.name, error));
      return true;
    };
    unwatchRun = watchAbort(env.runSignal, () => stop(new AbortedError(task.name)));
    if (!settled) unwatchDrained = watchAbort(env.drained, () => stop(new NeverSettledError(task.name)));
    if (task.timeout !== undefined && !settled) {
      timer = setTimeout(() => stop(new TaskTimeoutError(env.branch?.label ?? task.name, task.timeout!)), task.timeout);
    }
    const { pipeline, readResult, onProcess } = env;
    const branch = env.branch ? { index: env.branch.index, item: env.branch.item } : undefined;
    const identity = { pipeline: pipeline.name, task: task.name, module: task.definedIn, codeDigest: task.codeDigest(), attempt: env.attempt, branch };
    const request: AttemptRequest = {
      identity,
      task,
      pipeline,
      get logger() {
        return env.logger;
      },
      readResult,
      onProcess,
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (stoppedWith) controller.abort(stoppedWith.reason);
        }
        return controller.signal;
      },
    };
    // Run as the task, so that an error escaping its code later can be put down to it.
    try {
      work = runAsTask({ task: task.name, run: env.escapes, attempt: escaped }, () => env.executor.run(request));
    } catch (error) {
      work = Promise.reject(error);
    }
    if (settled) abandoned.add(work);
    work.then(
      (result) => {
        if (settled) return;
        settle();
        resolve(result);
      },
      (error: unknown) => {
        if (settled) return;
        settle();
        reject(error);
      },
    );
  });
}

const noop = () => {};

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
