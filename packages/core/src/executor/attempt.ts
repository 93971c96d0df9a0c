import type { AttemptResult } from "../contracts/executor.js";
import type { TaskLogger } from "../contracts/logger.js";
import type { EncodeOptions, EncodedResult } from "../contracts/serializer.js";
import { NotADependencyError, SerializationError, errorMessage } from "../errors.js";
import { describeType } from "../logger/format.js";
import type { Pipeline } from "../pipeline.js";
import type { ProcessTiming } from "../contracts/summary.js";
import { encodeDeferring, msgpackSerializer } from "../serializers/msgpack.js";
import { deferBody, pendingPack } from "../serializers/msgpack-slices.js";
import { type Task, processEntries } from "../task/task.js";
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
  /**
   * Asked once the task's value is known: whether the run may read the result back in this
   * process soon after, so that the serializer is asked for a copy (see `EncodeOptions.copy`).
   * @param value - the task's value: a primitive is its own copy, an object's copy needs room
   */
  wantsCopy?(value: unknown): boolean;
  /**
   * Whether a result given at once is stored in the same synchronous stretch, before any
   * code of the task's can run again: only then may a big array be left for its save to
   * pack (see msgpack-slices.ts), since the bytes must be the value as it was checked.
   */
  savedAtOnce?(): boolean;
}

/** Whether a value is a promise or thenable, to be awaited rather than used as it is. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** Adds one call of a process to its timing, and reports it. */
function record(name: string, start: number, timings: ProcessTiming[], handle: AttemptHandle): void {
  const ms = performance.now() - start;
  let t: ProcessTiming | undefined;
  for (const each of timings) if (each.name === name) t = each;
  if (t) {
    t.calls++;
    t.durationMs += ms;
  } else timings.push({ name, calls: 1, durationMs: ms });
  handle.onProcess(name, ms);
}

/** Wraps a process so that every call is timed, sync or async. */
function timed(ctx: object, name: string, fn: AnyProcess, timings: ProcessTiming[], handle: AttemptHandle): AnyProcess {
  return (...args: unknown[]) => {
    const start = performance.now();
    let out: unknown;
    try {
      out = fn.apply(ctx, args);
    } catch (error) {
      record(name, start, timings, handle);
      throw error;
    }
    if (!isPromiseLike(out)) {
      record(name, start, timings, handle);
      return out;
    }
    return Promise.resolve(out).finally(() => record(name, start, timings, handle));
  };
}

/**
 * Builds the `this` of a task's processes for one attempt: own properties only (`logger` and
 * `signal` as own getters), so `{ ...this }`, `Object.create(this)` and a Proxy of it see what
 * a task has always seen. Its prototype is null, so a process may be named like anything on
 * Object.prototype; process names cannot shadow these fields (they are reserved).
 */
function buildContext(task: Task<unknown>, handle: AttemptHandle, timings: ProcessTiming[]): { run: () => unknown } {
  const result = (dep: string | Task<unknown>): Promise<unknown> => {
    const name = typeof dep === "string" ? dep : dep.name;
    if (!task.dependencies.includes(name)) return Promise.reject(new NotADependencyError(task.name, name));
    return handle.readResult(name);
  };
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
  for (const [name, fn] of processEntries(task)) ctx[name] = timed(ctx, name, fn, timings, handle);
  return ctx as unknown as { run: () => unknown };
}

/**
 * Runs a task's `run` process once and serializes what it returns: the body of every
 * executor's attempt, in whichever thread or process it runs. The result carries the value
 * too; an executor that sends the result elsewhere leaves it out.
 * @throws the task's own error, or a SerializationError naming the task
 */
export function runTaskAttempt(task: Task<unknown>, handle: AttemptHandle): Promise<AttemptResult> {
  try {
    const result = runTaskAttemptNow(task, handle);
    return isPromiseLike(result) ? result : Promise.resolve(result);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * {@link runTaskAttempt} without a promise where none is needed: a `run` that returns a
 * plain value, serialized by a serializer that answers at once, gives its result directly
 * (most tasks). A task's own error is thrown, or rejected when its `run` is asynchronous.
 */
export function runTaskAttemptNow(task: Task<unknown>, handle: AttemptHandle): AttemptResult | Promise<AttemptResult> {
  const timings: ProcessTiming[] = [];
  const ctx = buildContext(task, handle, timings);
  const value = ctx.run();
  // A value settled later is packed at once: the task's own code may run between here and its save.
  if (isPromiseLike(value)) return Promise.resolve(value).then((settled) => encode(task, settled, timings, handle, false));
  return encode(task, value, timings, handle, handle.savedAtOnce?.() === true);
}

const COPY: EncodeOptions = { copy: true };

/** @param defer - whether a big array may be left for the save to pack (see `AttemptHandle.savedAtOnce`) */
function encode(task: Task<unknown>, value: unknown, timings: ProcessTiming[], handle: AttemptHandle, defer: boolean): AttemptResult | Promise<AttemptResult> {
  const serializer = task.serializer;
  let encoded: EncodedResult | Uint8Array | PromiseLike<EncodedResult | Uint8Array>;
  try {
    const options = serializer.encode && handle.wantsCopy?.(value) ? COPY : undefined;
    // The default serializer leaves a big array to be packed by the save, which writes it as it packs.
    encoded = defer && serializer === msgpackSerializer ? encodeDeferring(value, options) : serializer.encode ? serializer.encode(value, options) : serializer.serialize(value);
  } catch (error) {
    throw new SerializationError(task.name, errorMessage(error), error);
  }
  if (!isPromiseLike(encoded)) return attemptResult(task, value, timings, encoded);
  return Promise.resolve(encoded).then(
    (done) => attemptResult(task, value, timings, done),
    (error: unknown) => {
      throw new SerializationError(task.name, errorMessage(error), error);
    },
  );
}

/** The attempt's result from the serializer's answer: what `encode` gave, or the bytes of `serialize`. */
function attemptResult(task: Task<unknown>, value: unknown, timings: ProcessTiming[], done: EncodedResult | Uint8Array): AttemptResult {
  const encoded = task.serializer.encode ? (done as EncodedResult) : undefined;
  const serializer = encoded ? encoded.serializer : task.serializer.name;
  const type = describeType(value);
  const empty = value === null || value === undefined;
  const owned = encoded?.owned === true;
  // Not read from a body still to be packed (see msgpack-slices.ts): that would pack it now.
  const later = encoded && pendingPack(encoded);
  // A copy of the value for its first reader, when the serializer made one (see `EncodeOptions.copy`).
  const copy = encoded?.copy;
  // A copy of the timings: a process the task's code calls later (from a timer) must not change what was recorded.
  if (later) return deferBody({ serializer, type, empty, processes: timings.slice(), value, owned, copy }, later, (error) => new SerializationError(task.name, errorMessage(error), error));
  return { body: encoded ? encoded.body : (done as Uint8Array), serializer, type, empty, processes: timings.slice(), value, owned, copy };
}
