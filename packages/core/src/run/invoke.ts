import type { TaskLogger } from "../contracts/logger.js";
import { AbortedError, NotADependencyError, TaskTimeoutError } from "../errors.js";
import type { Pipeline } from "../pipeline.js";
import type { Task } from "../task/task.js";
import type { AnyProcess } from "../task/types.js";
import type { ProcessTiming } from "./summary.js";

/** What one attempt of a task needs from the run. */
export interface AttemptEnv {
  pipeline: Pipeline;
  logger: TaskLogger;
  attempt: number;
  runSignal: AbortSignal;
  readResult(name: string): Promise<unknown>;
  onProcess(name: string, durationMs: number): void;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** Wraps a process so that every call is timed, sync or async. */
function timed(ctx: object, name: string, fn: AnyProcess, timings: Map<string, ProcessTiming>, env: AttemptEnv): AnyProcess {
  const record = (start: number) => {
    const ms = performance.now() - start;
    const t = timings.get(name);
    if (t) {
      t.calls++;
      t.durationMs += ms;
    } else timings.set(name, { name, calls: 1, durationMs: ms });
    env.onProcess(name, ms);
  };
  return (...args: unknown[]) => {
    const start = performance.now();
    let out: unknown;
    try {
      out = fn.apply(ctx, args);
    } catch (error) {
      record(start);
      throw error;
    }
    if (!isPromiseLike(out)) {
      record(start);
      return out;
    }
    return Promise.resolve(out).finally(() => record(start));
  };
}

/** Builds the `this` handle for one attempt. */
function buildContext(task: Task<unknown>, env: AttemptEnv, signal: AbortSignal, timings: Map<string, ProcessTiming>) {
  const result = (dep: string | Task<unknown>) => {
    const name = typeof dep === "string" ? dep : dep.name;
    if (!task.dependencies.includes(name)) return Promise.reject(new NotADependencyError(task.name, name));
    return env.readResult(name);
  };
  // A plain literal is much cheaper than defineProperty on the hot path; process names
  // cannot shadow these fields (they are reserved).
  const ctx: Record<string, unknown> = { __proto__: null, name: task.name, task, pipeline: env.pipeline, logger: env.logger, signal, attempt: env.attempt, result };
  for (const [name, fn] of task.processes) ctx[name] = timed(ctx, name, fn, timings, env);
  return ctx as { run: () => unknown };
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
 * Runs one attempt of a task's `run` process under its timeout and the run's abort
 * signal. Resolves with the result; rejects with the task's error, a TaskTimeoutError
 * or an AbortedError. A process that ignores its signal is left behind, not awaited.
 */
export async function runAttempt(
  task: Task<unknown>,
  abandoned: AbandonedWork,
  env: AttemptEnv,
): Promise<{ value: unknown; processes: ProcessTiming[] }> {
  const controller = new AbortController();
  const timings = new Map<string, ProcessTiming>();
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    const onRunAbort = () => {
      controller.abort(new AbortedError(task.name));
      reject(new AbortedError(task.name));
    };
    if (env.runSignal.aborted) onRunAbort();
    else env.runSignal.addEventListener("abort", onRunAbort, { once: true });
    stop = () => env.runSignal.removeEventListener("abort", onRunAbort);
    if (task.timeout !== undefined) {
      timer = setTimeout(() => {
        const error = new TaskTimeoutError(task.name, task.timeout!);
        controller.abort(error);
        reject(error);
      }, task.timeout);
    }
  });
  const ctx = buildContext(task, env, controller.signal, timings);
  const work = Promise.resolve().then(() => ctx.run());
  try {
    const value = await Promise.race([work, stopped]);
    return { value, processes: [...timings.values()] };
  } catch (error) {
    if (controller.signal.aborted) abandoned.add(work);
    throw error;
  } finally {
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
