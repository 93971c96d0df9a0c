import type { AttemptResult } from "../contracts/executor.js";
import type { BodySink, FingerprintComponents, ResultMeta, ResultStore } from "../contracts/store.js";
import { DependencyFailure, MAX_RESULT_BYTES, ResultTooLargeError, errorMessage } from "../errors.js";
import { type UpstreamDigest, upstreamDigests } from "../fingerprint/components.js";
import { combineFingerprint } from "../fingerprint/fingerprint.js";
import { digestBytes } from "../fingerprint/hash.js";
import { sessionId } from "../freshness/session.js";
import { KEEP_VALUES_UP_TO } from "../task/outcome.js";
import type { Task } from "../task/task.js";
import type { SavePermits } from "./permits.js";
import { type TaskSlot, letGo } from "./slot.js";
import { type SlicedPack, claimSlicedPack, sliceBufferBytes } from "../serializers/msgpack-slices.js";
import { DIGEST_NEVER_TOLD, HASHED_BY_STORE_FROM, OWNED } from "./store-hashing.js";
import { storeFailure } from "./store-failure.js";

/**
 * The metadata a result is stored with, for components from {@link componentsNow}: code
 * and inputs as they were when the task was decided (a file edited mid-run must not be
 * recorded as seen), upstream digests as they are now, so that a dependency repaired
 * mid-run counts.
 */
export function resultMeta(
  task: Task<unknown>,
  outcome: AttemptResult,
  components: FingerprintComponents,
  now: number,
  /** Of `components`, when already combined (by the decision): not hashed again. */
  fingerprint: string = combineFingerprint(components),
  /** Of the body; "" when the store is to compute it (see `putHashing`). */
  digest: string = digestBytes(outcome.body),
): ResultMeta {
  const policy = task.expire;
  return {
    key: task.name,
    fingerprint,
    components,
    digest,
    size: outcome.body.byteLength,
    serializer: outcome.serializer ?? task.serializer.name,
    createdAt: now,
    // A partial mapped result (onBranchError: "skip") is never reused as fresh: the next run retries its failed items.
    expiresAt: (outcome as { partial?: boolean }).partial ? now : policy.expiresAt(new Date(now)),
    session: policy.session ? sessionId() : undefined,
    expiry: policy.label,
    empty: outcome.empty,
    type: outcome.type,
  };
}

/**
 * The components to store with a result: the decided ones themselves when every upstream
 * digest is still the one they record (the usual case: no object is rebuilt per task),
 * else the decided ones with the digests as they are now, which may come from a promise.
 */
function componentsNow(task: Task<unknown>, decided: FingerprintComponents, upstreamDigest: UpstreamDigest): FingerprintComponents | Promise<FingerprintComponents> {
  const deps = task.dependencies;
  const recorded = decided.upstream;
  for (let i = 0; i < deps.length; i++) {
    const digest = upstreamDigest(deps[i]!);
    if (digest instanceof Promise || (digest ?? "") !== recorded[deps[i]!]) {
      const upstream = upstreamDigests(task, upstreamDigest);
      return upstream instanceof Promise ? upstream.then((u) => ({ ...decided, upstream: u })) : { ...decided, upstream };
    }
  }
  return decided;
}

/** Records whether the result a task settled on is in the store, and tells who waited to know. */
export function markStored(slot: TaskSlot, stored: boolean): void {
  slot.storedNow = stored;
  const waiting = slot.onStored;
  slot.onStored = undefined;
  if (waiting) for (const told of waiting) told();
}

/**
 * Calls `then` with the in-run upstreams whose result never reached the store (none when
 * all did) once their saves have settled: at once in the usual case, where they were asked
 * for first and have. A dependent computed from such a result must not keep its own.
 */
export function whenUpstreamsStored(upstream: readonly TaskSlot[], then: (lost: string[]) => void): void {
  let pending = 0;
  const told = () => {
    if (--pending === 0) then(lostOf(upstream));
  };
  for (const u of upstream) {
    if (u.storedNow !== undefined) continue;
    pending++;
    (u.onStored ??= []).push(told);
  }
  if (pending === 0) then(lostOf(upstream));
}

const NONE_LOST: string[] = [];

function lostOf(upstream: readonly TaskSlot[]): string[] {
  let lost: string[] | undefined;
  for (const u of upstream) if (!u.storedNow) (lost ??= []).push(u.task.name);
  return lost ?? NONE_LOST;
}

/** What storing a result needs from the run. */
export interface StoreContext {
  store: ResultStore;
  now: () => number;
  /** The task's in-run dependencies, whose results this one was computed from. */
  upstream: readonly TaskSlot[];
  upstreamDigest: UpstreamDigest;
  /** Lets dependents start on the result held in memory: the task is now `saving`. */
  release: () => void;
  /** Bounds the saves in flight; the task keeps its concurrency slot until its save fits. */
  permits: SavePermits;
  /**
   * Called the moment the result counts as stored (its upstreams' too), before the promise
   * resolves: the task reports done without waiting for more turns of the microtask queue.
   */
  stored: () => void;
  /**
   * Told of a big result once the store knows its digest and is still writing it: the run
   * may read it back meanwhile, for a reader after the run (see `readAheadLater`).
   */
  readAhead?: (outcome: AttemptResult) => void;
}

/**
 * Persistence: metadata, then the put — asked for before any dependent starts, so a store
 * that writes in order never holds a dependent's result without its upstream's — while the
 * task is `saving` and its dependents run on the result held in memory. A result computed
 * from an upstream whose save failed is not kept either: it is removed again.
 * @throws StoreError when the put fails, DependencyFailure when an upstream's did; the
 *   result is then no longer held, so nothing reads it as this run's
 */
export function storeResult(
  slot: TaskSlot,
  outcome: AttemptResult,
  previous: Pick<ResultMeta, "digest"> | undefined,
  decided: FingerprintComponents,
  /** The fingerprint of `decided`, when the decision combined it; undefined to combine it here. */
  decidedFingerprint: string | undefined,
  ctx: StoreContext,
): Promise<void> {
  const sliced = typeof ctx.store.openBody === "function" ? claimSlicedPack(outcome) : undefined;
  if (sliced) return storeInSlices(slot, outcome, sliced, previous, decided, decidedFingerprint, ctx);
  return storeWhole(slot, outcome, previous, decided, decidedFingerprint, ctx);
}

/** {@link storeResult} of a body made whole before it is stored. */
function storeWhole(
  slot: TaskSlot,
  outcome: AttemptResult,
  previous: Pick<ResultMeta, "digest"> | undefined,
  decided: FingerprintComponents,
  decidedFingerprint: string | undefined,
  ctx: StoreContext,
): Promise<void> {
  let size: number;
  try {
    size = outcome.body.byteLength;
  } catch (error) {
    return Promise.reject(error);
  }
  if (size > MAX_RESULT_BYTES) return Promise.reject(new ResultTooLargeError(slot.task.name, size));
  // Not async: a run stores thousands of results, and each await costs a turn and a promise.
  let components: FingerprintComponents | Promise<FingerprintComponents>;
  try {
    components = componentsNow(slot.task, decided, ctx.upstreamDigest);
  } catch (error) {
    return Promise.reject(error);
  }
  if (components instanceof Promise) return components.then((c) => storeWith(slot, outcome, previous, c, undefined, ctx));
  // Components rebuilt with newer upstream digests have a fingerprint of their own.
  return storeWith(slot, outcome, previous, components, components === decided ? decidedFingerprint : undefined, ctx);
}

/**
 * {@link storeResult} of a big array whose packing is left to the save: the store is handed
 * each slice as it is packed, so that the disk writes while the rest is packed. Where that
 * cannot be (the store declines, the digests of upstreams are still to come, the save must
 * wait its turn, the estimate falls short), the body is packed whole, at once, and stored
 * as any other.
 */
function storeInSlices(
  slot: TaskSlot,
  outcome: AttemptResult,
  sliced: SlicedPack,
  previous: Pick<ResultMeta, "digest"> | undefined,
  decided: FingerprintComponents,
  decidedFingerprint: string | undefined,
  ctx: StoreContext,
): Promise<void> {
  const whole = () => storeWhole(slot, outcome, previous, decided, decidedFingerprint, ctx);
  // The buffer is sized from the estimate; the store is told the most it may be given (text
  // that is not ASCII takes more than the estimate counts, and the buffer then grows).
  const bufferBytes = sliceBufferBytes(sliced.estimate);
  const maxBytes = Math.min(sliceBufferBytes(sliced.bound), MAX_RESULT_BYTES);
  let components: FingerprintComponents | Promise<FingerprintComponents>;
  try {
    components = componentsNow(slot.task, decided, ctx.upstreamDigest);
  } catch (error) {
    return Promise.reject(error);
  }
  if (components instanceof Promise || bufferBytes > MAX_RESULT_BYTES) return whole();
  const fingerprint = components === decided ? decidedFingerprint : undefined;
  const got = ctx.permits.acquire(bufferBytes);
  if (typeof got !== "function") {
    // Packed now, as the value is: by the time the permit comes the task's code may have changed it.
    try {
      void outcome.body;
    } catch (error) {
      void got.then((permit) => permit());
      return Promise.reject(error);
    }
    return got.then((permit) => storeWith(slot, outcome, previous, components, fingerprint, ctx, permit));
  }
  let sink: BodySink | undefined;
  try {
    sink = ctx.store.openBody!(slot.task.name, maxBytes);
  } catch {
    sink = undefined;
  }
  if (!sink) return storeWith(slot, outcome, previous, components, fingerprint, ctx, got);
  const open = sink;
  let body: Uint8Array | undefined;
  try {
    body = sliced.inSlices((bytes) => open.append(bytes), maxBytes);
  } catch {
    body = undefined;
  }
  if (!body || body.byteLength > MAX_RESULT_BYTES) {
    // The bytes on disk are never a mix: what was written goes, and the body is made whole.
    open.abort().catch(() => {});
    return storeWith(slot, outcome, previous, components, fingerprint, ctx, got);
  }
  let meta: ResultMeta;
  try {
    meta = resultMeta(slot.task, outcome, components, ctx.now(), fingerprint, "");
  } catch (error) {
    open.abort().catch(() => {});
    got();
    return Promise.reject(error);
  }
  return saveHashing(slot, outcome, previous, meta, ctx, got, (metaFor) => open.finish(metaFor));
}

function storeWith(
  slot: TaskSlot,
  outcome: AttemptResult,
  previous: Pick<ResultMeta, "digest"> | undefined,
  components: FingerprintComponents,
  fingerprint: string | undefined,
  ctx: StoreContext,
  /** A permit already taken for this save. */
  permit?: () => void,
): Promise<void> {
  let size: number;
  try {
    size = outcome.body.byteLength;
  } catch (error) {
    permit?.();
    return Promise.reject(error);
  }
  if (size > MAX_RESULT_BYTES) {
    permit?.();
    return Promise.reject(new ResultTooLargeError(slot.task.name, size));
  }
  const hashing = size >= HASHED_BY_STORE_FROM && typeof ctx.store.putHashing === "function";
  let meta: ResultMeta;
  try {
    meta = resultMeta(slot.task, outcome, components, ctx.now(), fingerprint, hashing ? "" : undefined);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!hashing) hold(slot, outcome, previous, meta);
  const putHashing = (metaFor: (digest: string) => ResultMeta) =>
    outcome.owned ? ctx.store.putHashing!(slot.task.name, outcome.body, metaFor, OWNED) : ctx.store.putHashing!(slot.task.name, outcome.body, metaFor);
  const got = permit ?? ctx.permits.acquire(size);
  if (typeof got === "function") return hashing ? saveHashing(slot, outcome, previous, meta, ctx, got, putHashing) : save(slot, outcome, meta, ctx, got);
  return got.then((given) => (hashing ? saveHashing(slot, outcome, previous, meta, ctx, given, putHashing) : save(slot, outcome, meta, ctx, given)));
}

/** Holds a result in memory with its metadata, for its dependents and the run's record. */
function hold(slot: TaskSlot, outcome: AttemptResult, previous: Pick<ResultMeta, "digest"> | undefined, meta: ResultMeta): void {
  const { record } = slot;
  slot.meta = meta;
  slot.digest = meta.digest;
  slot.body = outcome.body;
  // A small value stays as task.result and each reader gets a copy of its own; a big one is handed over once.
  slot.value = "value" in outcome && meta.size > KEEP_VALUES_UP_TO ? { value: outcome.value } : undefined;
  record.resultType = meta.type;
  record.size = meta.size;
  record.digest = meta.digest;
  record.expiresAt = meta.expiresAt;
  record.unchanged = previous?.digest === meta.digest;
}

function save(slot: TaskSlot, outcome: AttemptResult, meta: ResultMeta, ctx: StoreContext, permit: () => void): Promise<void> {
  let saved: Promise<void>;
  try {
    saved = Promise.resolve(outcome.owned ? ctx.store.put(slot.task.name, outcome.body, meta, OWNED) : ctx.store.put(slot.task.name, outcome.body, meta));
  } catch (error) {
    saved = Promise.reject(error);
  }
  slot.storedNow = undefined;
  ctx.release();
  return settle(slot, saved, ctx, permit);
}

/**
 * The save of a body the store hashes: its metadata is completed with the store's digest,
 * and the result held and its dependents let start, once the store knows it (before the
 * body is durable).
 */
function saveHashing(
  slot: TaskSlot,
  outcome: AttemptResult,
  previous: Pick<ResultMeta, "digest"> | undefined,
  meta: ResultMeta,
  ctx: StoreContext,
  permit: () => void,
  /** Stores the body, telling `metaFor` its digest: `putHashing`, or the finish of a body stored as it was made. */
  put: (metaFor: (digest: string) => ResultMeta) => Promise<string>,
): Promise<void> {
  let told = false;
  const metaFor = (digest: string): ResultMeta => {
    if (told) return meta;
    told = true;
    meta.digest = digest;
    hold(slot, outcome, previous, meta);
    ctx.release();
    ctx.readAhead?.(outcome);
    return meta;
  };
  // Known without the digest: the run reports them even if the save fails before the store knows it.
  const { record } = slot;
  record.resultType = meta.type;
  record.size = meta.size;
  record.expiresAt = meta.expiresAt;
  slot.storedNow = undefined;
  let saved: Promise<void>;
  try {
    saved = Promise.resolve(put(metaFor)).then(() => {
      if (!told) throw new Error(DIGEST_NEVER_TOLD);
    });
  } catch (error) {
    saved = Promise.reject(error);
  }
  return settle(slot, saved, ctx, permit);
}

/** One continuation for the save: gives the permit back, then settles what the run knows of it. */
function settle(slot: TaskSlot, saved: Promise<void>, ctx: StoreContext, permit: () => void): Promise<void> {
  const { task } = slot;
  return new Promise<void>((resolve, reject) => {
    saved.then(
      () => {
        permit();
        whenUpstreamsStored(ctx.upstream, (lost) => {
          markStored(slot, lost.length === 0);
          if (lost.length === 0) {
            slot.saved = true;
            try {
              ctx.stored();
            } catch (error) {
              return reject(error);
            } finally {
              letGo(slot);
            }
            return resolve();
          }
          forget(slot, lost);
          const names = lost.map((l) => `"${l}"`).join(", ");
          const message = `Task "${task.name}" was computed from the result of ${names}, which could not be stored, so its own result is not kept either. Fix the store and run again.`;
          const failure = new DependencyFailure(task.name, lost, message);
          void removeQuietly(ctx.store, task.name).then(() => reject(failure));
        });
      },
      (error: unknown) => {
        permit();
        markStored(slot, false);
        forget(slot, [task.name]);
        reject(storeFailure(`Task "${task.name}": the result`, ctx.store, error));
      },
    );
  });
}

function removeQuietly(store: ResultStore, key: string): Promise<unknown> {
  try {
    return store.delete(key).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

/** Drops a result that was never stored; dependents not yet started see the task as failed. */
function forget(slot: TaskSlot, roots: string[]): void {
  slot.body = undefined;
  slot.value = undefined;
  slot.meta = undefined;
  slot.failedRoots = roots;
}

/**
 * Results of `onComplete` tasks, and empty results when asked, expire now that the run is
 * complete. A store that cannot expire or delete one is reported, never thrown.
 */
export async function expireOnComplete(
  store: ResultStore,
  slots: Iterable<TaskSlot>,
  options: { expireResultsIfNone: boolean; at: number; warn: (task: string, message: string) => void },
): Promise<void> {
  for (const slot of slots) {
    const { state } = slot.record;
    if (state !== "executed" && state !== "cached") continue;
    const empty = state === "executed" ? slot.record.resultType === "null" || slot.record.resultType === "undefined" : false;
    if (!slot.task.expire.onComplete && !(options.expireResultsIfNone && empty)) continue;
    try {
      if (store.setExpiry) await store.setExpiry(slot.task.name, options.at);
      else await store.delete(slot.task.name);
    } catch (error) {
      options.warn(slot.task.name, `Could not expire result: ${errorMessage(error)}`);
    }
  }
}
