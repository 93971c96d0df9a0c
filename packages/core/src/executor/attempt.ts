import type { AttemptResult } from "../contracts/executor.js";
import type { TaskLogger } from "../contracts/logger.js";
import type { EncodedResult } from "../contracts/serializer.js";
import { encodeResult } from "../serializers/registry.js";
import { NotADependencyError, SerializationError, errorMessage } from "../errors.js";
import { describeType } from "../logger/format.js";
import type { Pipeline } from "../pipeline.js";
import type { ProcessTiming } from "../contracts/summary.js";
import type { Task } from "../task/task.js";
import type { AnyProcess } from "../task/types.js";

/**
 * What a task's processes see of the world during one attempt, wherever it runs: the
 * in-process executor passes the real pipeline and logger, a worker passes stand-ins that
 * talk to the scheduler.
 */
export interface AttemptHandle {
  /** `this.pipeline`. */
  pipeline: Pipeline;
  /** `this.logger`. */
  logger: TaskLogger;
  /** `this.signal`. */
  signal: AbortSignal;
  /** `this.attempt`. */
  attempt: number;
  /** A dependency's result, deserialized (`this.result(dep)`). */
  readResult(name: string): Promise<unknown>;
  /** Called after each process call with its duration. */
  onProcess(name: string, durationMs: number): void;
  /** For one branch of a mapped task: `this.index` and `this.item`. */
  branch?: { index: number; item: unknown } | undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** Wraps a process so that every call is timed, sync or async. */
function timed(ctx: object, name: string, fn: AnyProcess, timings: Map<string, ProcessTiming>, handle: AttemptHandle): AnyProcess {
  const record = (start: number) => {
    const ms = performance.now() - start;
    const t = timings.get(name);
    if (t) {
      t.calls++;
      t.durationMs += ms;
    } else timings.set(name, { name, calls: 1, durationMs: ms });
    handle.onProcess(name, ms);
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
function buildContext(task: Task<unknown>, handle: AttemptHandle, timings: Map<string, ProcessTiming>) {
  const result = (dep: string | Task<unknown>) => {
    const name = typeof dep === "string" ? dep : dep.name;
    if (!task.dependencies.includes(name)) return Promise.reject(new NotADependencyError(task.name, name));
    return handle.readResult(name);
  };
  // A plain literal is much cheaper than defineProperty on the hot path; process names
  // cannot shadow these fields (they are reserved).
  const ctx: Record<string, unknown> = {
    __proto__: null,
    name: task.name,
    task,
    pipeline: handle.pipeline,
    get logger() {
      return handle.logger;
    },
    get signal() {
      return handle.signal;
    },
    attempt: handle.attempt,
    result,
  };
  if (handle.branch) {
    ctx.item = handle.branch.item;
    ctx.index = handle.branch.index;
  }
  for (const [name, fn] of task.processes) ctx[name] = timed(ctx, name, fn, timings, handle);
  return ctx as { run: () => unknown };
}

/**
 * Runs a task's `run` process once and serializes what it returns: the body of every
 * executor's attempt, in whichever thread or process it runs. The result carries the value
 * too; an executor that sends the result elsewhere leaves it out.
 * @throws the task's own error, or a SerializationError naming the task
 */
export function runTaskAttempt(task: Task<unknown>, handle: AttemptHandle): Promise<AttemptResult> {
  const timings = new Map<string, ProcessTiming>();
  const ctx = buildContext(task, handle, timings);
  let value: unknown;
  try {
    value = ctx.run();
  } catch (error) {
    return Promise.reject(error);
  }
  // A synchronous `run` goes straight on to serializing: no turn of the microtask queue for it.
  if (isPromiseLike(value)) return Promise.resolve(value).then((settled) => encode(task, settled, timings));
  return encode(task, value, timings);
}

function encode(task: Task<unknown>, value: unknown, timings: Map<string, ProcessTiming>): Promise<AttemptResult> {
  const failed = (error: unknown) => {
    throw new SerializationError(task.name, errorMessage(error), error);
  };
  let encoded: Promise<EncodedResult>;
  try {
    encoded = Promise.resolve(encodeResult(task.serializer, value));
  } catch (error) {
    return Promise.reject(new SerializationError(task.name, errorMessage(error), error));
  }
  return encoded.then(({ body, serializer }) => {
    return { body, serializer, type: describeType(value), empty: value === null || value === undefined, processes: [...timings.values()], value };
  }, failed);
}
