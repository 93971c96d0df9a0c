import type { AttemptResult } from "../contracts/executor.js";
import type { FingerprintComponents, ResultMeta, ResultStore } from "../contracts/store.js";
import { DependencyFailure, MAX_RESULT_BYTES, ResultTooLargeError, StoreError, errorMessage } from "../errors.js";
import { type UpstreamDigest, upstreamDigests } from "../fingerprint/components.js";
import { combineFingerprint } from "../fingerprint/fingerprint.js";
import { digestBytes } from "../fingerprint/hash.js";
import { SESSION_ID } from "../freshness/session.js";
import { KEEP_VALUES_UP_TO } from "../task/outcome.js";
import type { Task } from "../task/task.js";
import type { SavePermits } from "./permits.js";
import { type TaskSlot, letGo } from "./slot.js";

/**
 * The metadata a result is stored with. Code and inputs as they were when the task was
 * decided (a file edited mid-run must not be recorded as seen); upstream digests as they
 * are now, so that a dependency repaired mid-run counts.
 */
export function resultMeta(task: Task<unknown>, outcome: AttemptResult, decided: FingerprintComponents, upstream: Record<string, string>, now: number): ResultMeta {
  const components = { ...decided, upstream };
  const policy = task.expire;
  return {
    key: task.name,
    fingerprint: combineFingerprint(components),
    components,
    digest: digestBytes(outcome.body),
    size: outcome.body.byteLength,
    serializer: outcome.serializer ?? task.serializer.name,
    createdAt: now,
    // A partial mapped result (onBranchError: "skip") is never reused as fresh: the next run retries its failed items.
    expiresAt: (outcome as { partial?: boolean }).partial ? now : policy.expiresAt(new Date(now)),
    session: policy.session ? SESSION_ID : undefined,
    expiry: policy.label,
    empty: outcome.empty,
    type: outcome.type,
  };
}

/** A store's put, its failure told as a StoreError naming the task. */
export async function putResult(store: ResultStore, task: string, body: Uint8Array, meta: ResultMeta): Promise<void> {
  try {
    await store.put(task, body, meta);
  } catch (error) {
    throw new StoreError(`Task "${task}": the result could not be stored (${errorMessage(error)}).`, error);
  }
}

/**
 * Names the in-run upstreams whose result never reached the store, once their saves have
 * settled; none when all did. A dependent computed from such a result must not keep its own.
 */
export async function unstoredUpstreams(upstream: readonly TaskSlot[]): Promise<string[]> {
  const stored = await Promise.all(upstream.map((u) => u.stored));
  return upstream.filter((_, i) => !stored[i]).map((u) => u.task.name);
}

/**
 * Whether every in-run upstream's result reached the store: at once when their saves have
 * settled (the usual case: they were asked for first), else once they have.
 */
function upstreamsStored(upstream: readonly TaskSlot[]): boolean | Promise<boolean> {
  let pending = false;
  for (const u of upstream) {
    if (u.storedNow === false) return false;
    if (u.storedNow === undefined) pending = true;
  }
  return pending ? unstoredUpstreams(upstream).then((lost) => lost.length === 0) : true;
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
}

/**
 * Persistence: metadata, then the put — asked for before any dependent starts, so a store
 * that writes in order never holds a dependent's result without its upstream's — while the
 * task is `saving` and its dependents run on the result held in memory. A result computed
 * from an upstream whose save failed is not kept either: it is removed again.
 * @throws StoreError when the put fails, DependencyFailure when an upstream's did; the
 *   result is then no longer held, so nothing reads it as this run's
 */
export async function storeResult(
  slot: TaskSlot,
  outcome: AttemptResult,
  previous: ResultMeta | undefined,
  decided: FingerprintComponents,
  ctx: StoreContext,
): Promise<void> {
  const { task, record } = slot;
  if (outcome.body.byteLength > MAX_RESULT_BYTES) throw new ResultTooLargeError(task.name, outcome.body.byteLength);
  const meta = resultMeta(task, outcome, decided, await upstreamDigests(task, ctx.upstreamDigest), ctx.now());
  // A small value stays as task.result and each reader gets a copy of its own; a big one is handed over once.
  const value = "value" in outcome && outcome.body.byteLength > KEEP_VALUES_UP_TO ? { value: outcome.value } : undefined;
  Object.assign(slot, { meta, digest: meta.digest, body: outcome.body, value });
  Object.assign(record, { resultType: meta.type, size: meta.size, digest: meta.digest, expiresAt: meta.expiresAt, unchanged: previous?.digest === meta.digest });
  const permit = await ctx.permits.acquire(outcome.body.byteLength);
  const saved = putResult(ctx.store, task.name, outcome.body, meta);
  void saved.then(permit, permit);
  slot.storedNow = undefined;
  slot.stored = saved.then(
    () => upstreamsStored(ctx.upstream),
    () => false,
  );
  void slot.stored.then((stored) => {
    slot.storedNow = stored;
  });
  ctx.release();
  try {
    await saved;
  } catch (error) {
    forget(slot, [task.name]);
    throw error;
  }
  // Upstream saves were asked for first and have usually settled: then decide without waiting.
  const settled = ctx.upstream.every((u) => u.storedNow !== undefined);
  const lost = settled ? ctx.upstream.filter((u) => !u.storedNow).map((u) => u.task.name) : await unstoredUpstreams(ctx.upstream);
  if (lost.length === 0) {
    slot.saved = true;
    letGo(slot);
    return;
  }
  forget(slot, lost);
  await ctx.store.delete(task.name).catch(() => false);
  const names = lost.map((l) => `"${l}"`).join(", ");
  const message = `Task "${task.name}" was computed from the result of ${names}, which could not be stored, so its own result is not kept either. Fix the store and run again.`;
  throw new DependencyFailure(task.name, lost, message);
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
