import type { AttemptResult, Executor, ResultBytes } from "../contracts/executor.js";
import type { TaskLogger } from "../contracts/logger.js";
import { AbortedError, EscapedError, NeverSettledError, TaskExitError, TaskTimeoutError } from "../errors.js";
import type { Pipeline } from "../pipeline.js";
import type { Task } from "../task/task.js";
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
export async function runAttempt(
  task: Task<unknown>,
  abandoned: AbandonedWork,
  env: AttemptEnv,
): Promise<AttemptResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;
  let settled = false;
  let escaped: ((error: unknown) => boolean) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    // An error escaping the task's code while the attempt runs fails the attempt.
    escaped = (error) => {
      if (settled) return false;
      // process.exit() called from a timer of the task's: that error says it best.
      const failure = error instanceof TaskExitError && error.task === task.name ? error : new EscapedError(task.name, error);
      controller.abort(failure);
      reject(failure);
      return true;
    };
    const onRunAbort = () => {
      controller.abort(new AbortedError(task.name));
      reject(new AbortedError(task.name));
    };
    if (env.runSignal.aborted) onRunAbort();
    else env.runSignal.addEventListener("abort", onRunAbort, { once: true });
    const onDrained = () => {
      const error = new NeverSettledError(task.name);
      controller.abort(error);
      reject(error);
    };
    if (env.drained.aborted) onDrained();
    else env.drained.addEventListener("abort", onDrained, { once: true });
    stop = () => {
      env.runSignal.removeEventListener("abort", onRunAbort);
      env.drained.removeEventListener("abort", onDrained);
    };
    if (task.timeout !== undefined) {
      timer = setTimeout(() => {
        const error = new TaskTimeoutError(env.branch?.label ?? task.name, task.timeout!);
        controller.abort(error);
        reject(error);
      }, task.timeout);
    }
  });
  const { pipeline, logger, readResult, onProcess } = env;
  const branch = env.branch ? { index: env.branch.index, item: env.branch.item } : undefined;
  const identity = { pipeline: pipeline.name, task: task.name, module: task.definedIn, codeDigest: task.codeDigest(), attempt: env.attempt, branch };
  // Run as the task, so that an error escaping its code later can be put down to it.
  const work = Promise.resolve().then(() =>
    runAsTask({ task: task.name, run: env.escapes, attempt: escaped }, () => env.executor.run({ identity, task, pipeline, signal: controller.signal, logger, readResult, onProcess })),
  );
  try {
    return await Promise.race([work, stopped]);
  } catch (error) {
    if (controller.signal.aborted) abandoned.add(work);
    throw error;
  } finally {
    settled = true;
    if (timer) clearTimeout(timer);
    stop?.();
    stopped.catch(() => {});
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
