import type { AttemptResult, Executor, ResultBytes } from "../contracts/executor.js";
import type { TaskLogger } from "../contracts/logger.js";
import type { FingerprintComponents, ResultMeta, ResultStore } from "../contracts/store.js";
import { AbortedError, BranchFailureError, SerializationError, StoreError, errorMessage } from "../errors.js";
import { describeType } from "../logger/format.js";
import type { Pipeline } from "../pipeline.js";
import { expiryReason } from "../freshness/expiry.js";
import { type Attempts, withRetries } from "../run/attempts.js";
import { type AbandonedWork, runAttempt } from "../run/invoke.js";
import { readStored } from "../run/read.js";
import type { EncodedResult } from "../contracts/serializer.js";
import { encodeResult, serializerFor, writesFormat } from "../serializers/registry.js";
import type { EscapeSink } from "../run/task-context.js";
import { sessionId } from "../freshness/session.js";
import type { BranchReport, ProcessTiming } from "../contracts/summary.js";
import type { Task } from "../task/task.js";
import { BranchFingerprints, isBranchOf } from "./branch-key.js";
import { type BranchItem, fileItems, listItems, noFilesNote } from "./items.js";
import { type Permits, eachLimited, eachWithPermits } from "./pool.js";
import { PreviousElements } from "./reuse.js";
import { branchLabel } from "./source.js";
import { branchLogger } from "./branch-logger.js";
import { putBranch } from "./branch-save.js";
import { storeFailure } from "../run/store-failure.js";

/** What running a mapped task needs from the run. */
export interface MappedEnv {
  pipeline: Pipeline;
  store: ResultStore;
  cwd: string;
  /**
   * The run's concurrency permits: the task holds one on entry, lends it to its branches
   * while they run and takes one back before it returns.
   */
  permits: Permits;
  now: () => number;
  signal: AbortSignal;
  /** Aborted when the event loop runs dry while a branch is awaited. */
  drained: AbortSignal;
  /** The run's receiver of errors escaping a branch's code after its attempt has settled. */
  escapes?: EscapeSink | undefined;
  executor: Executor;
  logger: TaskLogger;
  /** Run every branch, cached or not. */
  forced: boolean;
  /** The task's own fingerprint parts as decided at its start. */
  components: FingerprintComponents;
  readResult(name: string): Promise<ResultBytes>;
  onProcess(name: string, durationMs: number, branch?: string): void;
  /** Called as each branch that had to run finishes (for live progress). */
  onBranch?(report: BranchReport): void;
  warn(message: string): void;
}

/** A mapped task's combined result and what became of its branches. */
export interface MappedOutcome extends AttemptResult {
  branches: BranchReport;
  /** Some items were left out (`onBranchError: "skip"`): the result must not be reused as fresh. */
  partial: boolean;
}

/** Branches with the same fingerprint (equal elements) run once and share a stored result. */
interface Branch {
  key: string;
  fingerprint: string;
  items: BranchItem[];
  cached: boolean;
  /** Why it runs: a new item, a changed file, expired … (for reports). */
  value?: unknown;
  done: boolean;
  error?: unknown;
  durationMs: number;
}

const SLOWEST_SHOWN = 5;
/** Metadata and bodies are read this many at a time: enough to keep a store busy. */
const READ_LANES = 32;

/** The elements a task maps over, from its upstream's result or its files. */
export async function mappedItems(task: Task<unknown>, env: Pick<MappedEnv, "pipeline" | "cwd" | "readResult">): Promise<BranchItem[]> {
  const map = task.map!;
  if (map.kind === "files") return fileItems(task, map.patterns, env.cwd);
  const { body, serializer } = await env.readResult(map.task);
  return listItems(task, map.task, readStored(env.pipeline, map.task, body, serializer));
}

/** Groups items by branch fingerprint; `prints` gives the parts a branch is stored with. */
export function branchesOf(
  task: Task<unknown>,
  whole: FingerprintComponents,
  items: readonly BranchItem[],
): { branches: Map<string, Branch>; prints: BranchFingerprints } {
  const prints = new BranchFingerprints(task, whole, items);
  const branches = new Map<string, Branch>();
  for (const item of items) {
    const { fingerprint, key } = prints.of(item);
    const known = branches.get(key);
    if (known) known.items.push(item);
    else branches.set(key, { key, fingerprint, items: [item], cached: false, done: false, durationMs: 0 });
  }
  return { branches, prints };
}

/** Whether a stored branch can be used as it is: same fingerprint, not expired, session alive (as `decideFreshness`). */
export function branchIsFresh(meta: ResultMeta | undefined, branch: Branch, now: number): boolean {
  return !!meta && !!meta.components && meta.fingerprint === branch.fingerprint && expiryReason(meta, now, sessionId()) === undefined;
}

/**
 * The metadata of a task's stored branches, from one listing of the store rather than a
 * lookup per branch.
 * @throws StoreError naming the task when the store cannot be listed
 */
export async function storedBranches(task: Task<unknown>, store: ResultStore): Promise<Map<string, ResultMeta>> {
  let all: ResultMeta[];
  try {
    all = await store.list();
  } catch (error) {
    throw new StoreError(`Task "${task.name}": listing its branches in ${store.description ?? "the store"} failed (${errorMessage(error)}).`, error);
  }
  const mine = new Map<string, ResultMeta>();
  for (const m of all) if (isBranchOf(m, task.name)) mine.set(m.key, m);
  return mine;
}

/**
 * Runs a mapped task: decides each branch on its own fingerprint, reads the fresh ones
 * once, runs the rest through the executor (each with the task's retries and timeout),
 * stores each as it finishes, and assembles the array of results in item order. Stored
 * branches no longer mapped over are removed.
 * @throws BranchFailureError when a branch failed and `onBranchError` is `"fail"`;
 *   AbortedError when the run was stopped (finished branches stay stored)
 */
export async function runMapped(task: Task<unknown>, env: MappedEnv): Promise<MappedOutcome> {
  const items = await mappedItems(task, env);
  if (items.length === 0 && task.map!.kind === "files") env.warn(noFilesNote(task.map!.patterns, env.cwd));
  const { branches, prints } = branchesOf(task, env.components, items);
  const all = [...branches.values()];
  const now = env.now();
  const stored = await storedBranches(task, env.store);
  const fresh = env.forced ? [] : all.filter((b) => branchIsFresh(stored.get(b.key), b, now));
  // Unchanged branches take their values from the previous combined result where the bytes match.
  const previous = fresh.length > 0 ? await PreviousElements.read(task, env.store) : undefined;
  const unread: Branch[] = [];
  for (const b of fresh) {
    const reused = previous!.take(stored.get(b.key)!);
    if (!reused.found) unread.push(b);
    else Object.assign(b, { value: reused.value, cached: true, done: true });
  }
  await eachLimited(unread, READ_LANES, async (b) => {
    const meta = stored.get(b.key)!;
    // A stored body that is missing, corrupt or in another serializer's format is run again.
    const found = await env.store.get(b.key).catch(() => undefined);
    if (!found || found.meta.digest !== meta.digest || !writesFormat(task.serializer, found.meta.serializer)) return;
    try {
      b.value = serializerFor(task.serializer, found.meta.serializer)!.deserialize(found.body);
      b.cached = true;
      b.done = true;
    } catch {
      // Unreadable: run it again.
    }
  });
  const toRun = all.filter((b) => !b.cached);
  const report: BranchReport = { total: items.length, ran: 0, cached: 0, failed: [], slowest: [] };
  for (const b of all) if (b.cached) report.cached += b.items.length;
  const timings = new Map<string, ProcessTiming>();
  const onProcess = (name: string, ms: number, branch?: string) => {
    const t = timings.get(name);
    if (t) {
      t.calls++;
      t.durationMs += ms;
    } else timings.set(name, { name, calls: 1, durationMs: ms });
    env.onProcess(name, ms, branch);
  };
  if (toRun.length > 0) {
    env.permits.give();
    try {
      await eachWithPermits(
        toRun,
        env.permits,
        (b) =>
          runBranch(task, b, prints, env, onProcess).then(() => {
            if (b.done) report.ran += b.items.length;
            env.onBranch?.(report);
          }),
        env.signal,
      );
    } finally {
      await env.permits.take();
    }
  }
  if (env.signal.aborted) throw new AbortedError(task.name);
  await dropStale(env, stored, branches);

  const failed = toRun.filter((b) => !b.done);
  report.failed = failed
    .flatMap((b) => b.items.map((i) => ({ index: i.index, label: branchLabel(task.name, i.index), message: errorMessage(b.error) })))
    .sort((a, b) => a.index - b.index);
  report.slowest = toRun
    .filter((b) => b.done)
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, SLOWEST_SHOWN)
    .map((b) => ({ index: b.items[0]!.index, label: branchLabel(task.name, b.items[0]!.index), durationMs: b.durationMs }));
  if (failed.length > 0 && task.onBranchError === "fail") {
    const errors = failed.flatMap((b) => b.items.map((i) => ({ index: i.index, label: branchLabel(task.name, i.index), error: b.error })));
    throw Object.assign(
      new BranchFailureError(
        task.name,
        items.length,
        errors.sort((a, b) => a.index - b.index),
      ),
      { branches: report },
    );
  }
  if (failed.length > 0)
    env.warn(
      `${failed.length} of ${items.length} branches failed and are left out of the result: ${report.failed.map((f) => f.label).join(", ")}`,
    );

  const value = assemble(items.length, all, failed.length > 0);
  let encoded: EncodedResult;
  try {
    encoded = await encodeResult(task.serializer, value);
  } catch (error) {
    throw new SerializationError(task.name, errorMessage(error), error);
  }
  return {
    body: encoded.body,
    serializer: encoded.serializer,
    type: describeType(value),
    empty: false,
    processes: [...timings.values()],
    value,
    branches: report,
    partial: failed.length > 0,
  };
}

/** The branch results in item order (an item's `index` is its position), failed ones left out. */
function assemble(count: number, all: readonly Branch[], someFailed: boolean): unknown[] {
  const value: unknown[] = new Array(count);
  const done = someFailed ? new Uint8Array(count) : undefined;
  for (const b of all) {
    if (!b.done) continue;
    for (const i of b.items) {
      value[i.index] = b.value;
      if (done) done[i.index] = 1;
    }
  }
  return done ? value.filter((_, index) => done[index] === 1) : value;
}

/** One branch: attempts with the task's retries and timeout, each followed by storing its result. */
async function runBranch(
  task: Task<unknown>,
  b: Branch,
  prints: BranchFingerprints,
  env: MappedEnv,
  onProcess: (name: string, ms: number, branch: string) => void,
): Promise<void> {
  const started = performance.now();
  try {
    b.value = await withRetries(task, new BranchAttempts(task, b, prints, env, onProcess));
    b.done = true;
  } catch (error) {
    b.error = error;
  }
  b.durationMs = performance.now() - started;
}

/**
 * One branch's attempts under the task's retry policy. An attempt counts once its result
 * is stored under the branch's key; a store that fails is not retried.
 */
class BranchAttempts implements Attempts<unknown> {
  readonly #task: Task<unknown>;
  readonly #branch: Branch;
  readonly #prints: BranchFingerprints;
  readonly #env: MappedEnv;
  readonly #onProcess: (name: string, ms: number, branch: string) => void;
  readonly #label: string;

  constructor(
    task: Task<unknown>,
    branch: Branch,
    prints: BranchFingerprints,
    env: MappedEnv,
    onProcess: (name: string, ms: number, branch: string) => void,
  ) {
    this.#task = task;
    this.#branch = branch;
    this.#prints = prints;
    this.#env = env;
    this.#onProcess = onProcess;
    this.#label = branchLabel(task.name, branch.items[0]!.index);
  }

  get signal(): AbortSignal {
    return this.#env.signal;
  }

  async attempt(attempt: number, abandoned: AbandonedWork): Promise<unknown> {
    const task = this.#task;
    const env = this.#env;
    const b = this.#branch;
    const first = b.items[0]!;
    const label = this.#label;
    const outcome = await runAttempt(task, abandoned, {
      pipeline: env.pipeline,
      executor: env.executor,
      logger: branchLogger(env.logger, label),
      attempt,
      runSignal: env.signal,
      drained: env.drained,
      escapes: env.escapes,
      readResult: env.readResult,
      onProcess: (name, ms) => this.#onProcess(name, ms, label),
      branch: { index: first.index, item: first.item, label },
    });
    const at = env.now();
    const policy = task.expire;
    const serializer = outcome.serializer ?? task.serializer.name;
    const meta: Omit<ResultMeta, "digest"> = {
      key: b.key,
      fingerprint: b.fingerprint,
      components: this.#prints.components(first),
      size: outcome.body.byteLength,
      serializer,
      createdAt: at,
      // A task that expires when the run completes keeps no branch for the next run either.
      expiresAt: policy.onComplete ? at : policy.expiresAt(new Date(at)),
      session: policy.session ? sessionId() : undefined,
      expiry: policy.label,
      empty: outcome.empty,
      type: outcome.type,
    };
    try {
      await putBranch(env.store, b.key, outcome.body, meta, outcome.owned === true);
    } catch (error) {
      throw Object.assign(storeFailure(`Task "${task.name}": branch ${label}`, env.store, error), { retryable: false });
    }
    return "value" in outcome ? outcome.value : serializerFor(task.serializer, serializer)!.deserialize(outcome.body);
  }

  /** A branch's retries are not announced: its task's start was, and its report tells what failed. */
  retrying(): void {}
}

/** Removes the task's stored branches that no item maps to any more. */
async function dropStale(env: MappedEnv, stored: Map<string, ResultMeta>, current: Map<string, Branch>): Promise<void> {
  try {
    const stale: string[] = [];
    for (const key of stored.keys()) if (!current.has(key)) stale.push(key);
    await eachLimited(stale, READ_LANES, async (key) => {
      await env.store.delete(key);
    });
  } catch (error) {
    env.warn(`Could not remove branches no longer mapped over: ${errorMessage(error)}`);
  }
}
