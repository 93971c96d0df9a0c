import { setMaxListeners } from "node:events";
import { randomUUID } from "node:crypto";
import type { AttemptResult, Executor, ResultBytes } from "../contracts/executor.js";
import type { Logger, LoggerProvider, RunEvent, TaskLogger } from "../contracts/logger.js";
import type { FingerprintComponents, ResultMeta, ResultStore } from "../contracts/store.js";
import { AbortedError, DependencyFailure, MAX_RESULT_BYTES, NoResultError, ResultTooLargeError, StoreError, UnreadableResultError, errorMessage, isRetryable } from "../errors.js";
import { inProcessExecutor } from "../executor/in-process.js";
import { errorInfo } from "../executor/wire-error.js";
import { combineFingerprint } from "../fingerprint/fingerprint.js";
import { digestBytes } from "../fingerprint/hash.js";
import { computeComponents, upstreamDigests } from "../fingerprint/components.js";
import { decideTask } from "../freshness/decide.js";
import { silentLogger } from "../logger/plain.js";
import { toTaskLogger } from "../logger/task-logger.js";
import type { Pipeline } from "../pipeline.js";
import { forgetValue, keepValue, recordError, recordState } from "../task/outcome.js";
import type { Task } from "../task/task.js";
import { onEventLoopDrained } from "./drained.js";
import { SavePermits } from "./permits.js";
import { AbandonedWork, runAttempt, sleep } from "./invoke.js";
import { SESSION_ID } from "../freshness/session.js";
import { storedBodyIs } from "./verify.js";
import type { RunSummary, TaskRecord } from "../contracts/summary.js";
import { type TaskDecision, decision } from "../freshness/reason.js";
import { totalsOf } from "./totals.js";

/** Everything a run needs, resolved by the pipeline from its options and execute()'s. */
export interface RunPlan {
  pipeline: Pipeline;
  order: readonly Task<unknown>[];
  /** Tasks that take part; the others' stored results are used as they are. */
  selected: ReadonlySet<string>;
  forced: ReadonlySet<string>;
  skipped: ReadonlySet<string>;
  concurrency: number;
  store: ResultStore;
  logger: LoggerProvider;
  cwd: string;
  now: () => number;
  signal: AbortSignal;
  expireResultsIfNone: boolean;
  /** Read and check the body of every result that would be used as cached; run again those that fail. */
  verify: boolean;
  /** Carries out attempts of tasks that may leave the main thread (`runIn: "any"`). */
  executor: Executor;
}

interface Slot {
  task: Task<unknown>;
  record: TaskRecord;
  waiting: number;
  dependents: Slot[];
  /** Digest of the result this run settled on (stored or new). */
  digest?: string | undefined;
  /**
   * In-memory copy of a result executed in this run, so dependents skip a store read. Let
   * go once the save is durable and every dependent in the run has finished, so that memory
   * follows the results in use, not all of them.
   */
  body?: Uint8Array | undefined;
  /** Dependents in this run that have not finished yet. */
  readers: number;
  /** The result is durably stored. */
  saved: boolean;
  /** Metadata of the result this run produced, saved with it. */
  meta?: ResultMeta | undefined;
  /**
   * Set when the task failed, or was skipped or failed because something upstream did:
   * the names of the tasks whose own failure is behind it. Dependents cannot use it.
   */
  failedRoots: string[] | undefined;
  /** Position in completion order, for the critical path. */
  finishOrder: number;
  /** Its dependents may start and its concurrency slot is free (its result may still be saving). */
  released: boolean;
  /**
   * Output (run events and the task's own log lines) held back until every dependency has
   * reported done, so that a task's lines never appear before its upstreams' `DONE`.
   */
  held: (() => void)[];
}

/**
 * The chain of executed tasks that decided the run's length: the last to finish, then
 * repeatedly the executed dependency that finished last. Uses completion order, not
 * clock times, so that ties within a millisecond cannot mislead it.
 */
function criticalPath(slots: ReadonlyMap<string, Slot>): string[] {
  const executed = (s: Slot | undefined): s is Slot => !!s && s.record.state === "executed";
  const latest = (xs: Slot[]) => xs.reduce<Slot | undefined>((best, s) => (!best || s.finishOrder > best.finishOrder ? s : best), undefined);
  let current = latest([...slots.values()].filter(executed));
  const path: string[] = [];
  while (current) {
    path.unshift(current.task.name);
    current = latest(current.task.dependencies.map((d) => slots.get(d)).filter(executed));
  }
  return path;
}

/** Every attempt in flight listens on it: many at once is expected. */
function drainController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** One run of a pipeline: schedules tasks as their dependencies finish, up to `concurrency`. */
export class Run {
  readonly id = randomUUID();
  readonly #plan: RunPlan;
  readonly #slots = new Map<string, Slot>();
  readonly #ready: Slot[] = [];
  #readyHead = 0;
  readonly #repairs = new Map<string, Promise<void>>();
  /** Digests of dependencies outside the run, read once: what fingerprints record is what tasks read. */
  readonly #outside = new Map<string, Promise<string | undefined>>();
  /** Tasks holding a concurrency slot. */
  #running = 0;
  /** Tasks started and not yet finished, their saves included. */
  #inFlight = 0;
  #finished = 0;
  /** Time of the latest output shown. */
  #lastShownAt = 0;
  /** Bounds the saves in flight: each may hold files open. */
  readonly #saves = new SavePermits();
  /** Aborted, and replaced, each time the event loop runs dry during the run. */
  #drained = drainController();
  #resolveAll!: () => void;

  constructor(plan: RunPlan) {
    this.#plan = plan;
    for (const task of plan.order) {
      if (!plan.selected.has(task.name)) continue;
      this.#slots.set(task.name, {
        task,
        record: { name: task.name, state: "cancelled", durationMs: 0, attempts: 0, processes: [] },
        waiting: 0,
        dependents: [],
        failedRoots: undefined,
        readers: 0,
        saved: false,
        finishOrder: 0,
        released: false,
        held: [],
      });
    }
    for (const slot of this.#slots.values()) {
      for (const dep of slot.task.dependencies) {
        const up = this.#slots.get(dep);
        if (up) {
          slot.waiting++;
          up.readers++;
          up.dependents.push(slot);
        }
      }
    }
  }

  #emit(event: RunEvent): void {
    const slot = "task" in event && event.task !== undefined ? this.#slots.get(event.task) : undefined;
    this.#inOrder(slot, () => this.#deliver(event));
  }

  /** Runs an output call now, or holds it while the task must wait for its upstreams' output. */
  #inOrder(slot: Slot | undefined, output: () => void): void {
    if (slot && (slot.held.length > 0 || this.#waitsForReport(slot))) slot.held.push(output);
    else output();
  }

  #deliver(event: RunEvent): void {
    // Held output is shown late: its time is moved up to the last shown, so logs stay in time order.
    const at = Math.max(event.at, this.#lastShownAt);
    this.#lastShownAt = at;
    try {
      this.#plan.logger.event(at === event.at ? event : { ...event, at });
    } catch {
      // Output must never break a run.
    }
  }

  /** The task's logger with the seed's levels, its lines kept in order with the run's events. */
  #taskLogger(slot: Slot, base: Logger): TaskLogger {
    return toTaskLogger(base, `Task "${slot.task.name}"`, (call) =>
      this.#inOrder(slot, () => {
        this.#lastShownAt = Math.max(this.#lastShownAt, this.#plan.now());
        try {
          call();
        } catch {
          // A logger must never fail the task that uses it.
        }
      }),
    );
  }

  /**
   * Whether a dependency has not reported done yet: a task may start while its upstream
   * result still saves, but its lines should not appear before the upstream's DONE.
   */
  #waitsForReport(slot: Slot): boolean {
    for (const dep of slot.task.dependencies) {
      const up = this.#slots.get(dep);
      if (up && ((up.released && up.finishOrder === 0) || up.held.length > 0)) return true;
    }
    return false;
  }

  /** Emits what a task held back once nothing it depends on is pending, then its dependents'. */
  #flushHeld(slot: Slot): void {
    if (slot.held.length === 0 || this.#waitsForReport(slot)) return;
    for (const output of slot.held.splice(0)) output();
    for (const d of slot.dependents) this.#flushHeld(d);
  }

  async execute(): Promise<RunSummary> {
    const plan = this.#plan;
    const startedAt = plan.now();
    await plan.store.open?.();
    this.#emit({ type: "run:start", pipeline: plan.pipeline.name, tasks: [...this.#slots.keys()], at: startedAt });
    const all = new Promise<void>((resolve) => {
      this.#resolveAll = resolve;
    });
    const onAbort = () => this.#drainOnAbort();
    plan.signal.addEventListener("abort", onAbort, { once: true });
    for (const slot of this.#slots.values()) if (slot.waiting === 0) this.#ready.push(slot);
    // Stopped before it started (or while the store opened): nothing will run.
    if (this.#slots.size === 0 || plan.signal.aborted) this.#resolveAll();
    else this.#pump();
    // Attempts awaited when nothing is left to settle them fail, instead of the process ending silently.
    const unwatch = onEventLoopDrained(() => {
      const drained = this.#drained;
      this.#drained = drainController();
      drained.abort();
    });
    await all.finally(unwatch);
    plan.signal.removeEventListener("abort", onAbort);
    const interrupted = plan.signal.aborted;
    if (!interrupted) await this.#expireOnComplete();
    for (const slot of this.#slots.values()) recordState(slot.task, slot.record.state);
    const records = [...this.#slots.values()].map((s) => s.record);
    const totals = totalsOf(records);
    const finishedAt = plan.now();
    const summary: RunSummary = {
      pipeline: plan.pipeline.name,
      runId: this.id,
      startedAt,
      finishedAt,
      durationMs: finishedAt - startedAt,
      ok: !interrupted && totals.failed === 0 && totals.upstreamFailed === 0,
      interrupted,
      tasks: records,
      totals,
      criticalPath: criticalPath(this.#slots),
    };
    // Every task has finished: nothing is left to wait for.
    for (const slot of this.#slots.values()) for (const output of slot.held.splice(0)) output();
    this.#emit({ type: "run:end", summary, at: finishedAt });
    await plan.logger.flush?.();
    return summary;
  }

  #pump(): void {
    while (this.#running < this.#plan.concurrency && this.#readyHead < this.#ready.length && !this.#plan.signal.aborted) {
      const slot = this.#ready[this.#readyHead++]!;
      this.#running++;
      this.#inFlight++;
      // A fault outside a task's own code (a throwing logger, odd metadata) fails that task, never the run.
      void this.#process(slot)
        .catch((error: unknown) => this.#fail(slot, error))
        .then(() => {
          this.#release(slot);
          this.#finish(slot);
        });
    }
  }

  /**
   * Frees the task's concurrency slot and lets its dependents start. For an executed task
   * this happens once its result is serialized and held in memory, before the save is
   * durable, so that saves of consecutive tasks share disk syncs; the task itself is
   * reported done only when its save is.
   */
  #release(slot: Slot): void {
    if (slot.released) return;
    slot.released = true;
    slot.record.releasedAt = this.#plan.now();
    // Its attempt is over: it reads nothing more from its upstreams' in-memory copies.
    for (const dep of slot.task.dependencies) {
      const up = this.#slots.get(dep);
      if (up) {
        up.readers--;
        this.#letGo(up);
      }
    }
    this.#running--;
    for (const d of slot.dependents) if (--d.waiting === 0) this.#ready.push(d);
    if (!this.#plan.signal.aborted) this.#pump();
  }

  #finish(slot: Slot): void {
    slot.finishOrder = ++this.#finished;
    this.#inFlight--;
    for (const d of slot.dependents) this.#flushHeld(d);
    if (this.#finished === this.#slots.size) this.#resolveAll();
    else if (this.#plan.signal.aborted) this.#drainOnAbort();
  }

  /** Drops the in-memory copy of a result nobody in the run will read from memory again. */
  #letGo(slot: Slot): void {
    if (slot.saved && slot.readers <= 0) slot.body = undefined;
  }

  /** After an abort, tasks not started stay `cancelled`; the run ends once started ones finish. */
  #drainOnAbort(): void {
    if (this.#inFlight === 0) this.#resolveAll();
  }

  /** Stored-result digest of a dependency that is not part of this run, as first seen. */
  #outsideDigest(name: string): Promise<string | undefined> {
    let digest = this.#outside.get(name);
    if (!digest) {
      digest = this.#plan.store.getMeta(name).then(
        (meta) => meta?.digest,
        () => undefined,
      );
      this.#outside.set(name, digest);
    }
    return digest;
  }

  /** Metadata of a task's stored result; a store fault is reported against the task. */
  async #meta(name: string): Promise<ResultMeta | undefined> {
    try {
      return await this.#plan.store.getMeta(name);
    } catch (error) {
      throw new StoreError(
        `Task "${name}": reading its stored metadata from ${this.#plan.store.description ?? "the store"} failed (${errorMessage(error)}).`,
        error,
      );
    }
  }

  /** Digest of a dependency's result: this run's, else the stored one. */
  readonly #upstreamDigest = (dep: string) => {
    const slot = this.#slots.get(dep);
    return slot ? slot.digest : this.#outsideDigest(dep);
  };

  #components(task: Task<unknown>): Promise<FingerprintComponents> {
    return computeComponents(task, this.#plan.cwd, this.#upstreamDigest);
  }

  async #process(slot: Slot): Promise<void> {
    const { task, record } = slot;
    const plan = this.#plan;
    record.startedAt = plan.now();
    if (plan.skipped.has(task.name)) {
      // Skipped tasks are not run whatever happened upstream; dependents use what is stored.
      const meta = await this.#meta(task.name).catch(() => undefined);
      slot.digest = meta?.digest;
      return this.#skip(slot, decision({ kind: "skipped", detail: "skipped by request" }), undefined);
    }
    const deps = task.dependencies.map((d) => this.#slots.get(d)).filter((s): s is Slot => !!s);
    const broken = deps.filter((d) => d.failedRoots);
    if (broken.length > 0) return this.#upstreamBroken(slot, broken);
    const { decision: chosen, meta, components } = await decideTask({
      task,
      meta: this.#meta(task.name),
      cwd: plan.cwd,
      upstreamDigest: this.#upstreamDigest,
      now: plan.now(),
      forced: plan.forced.has(task.name),
    });
    record.decision = chosen;
    if (!chosen.run && meta && plan.verify && !(await storedBodyIs(plan.store, task.name, meta.digest))) {
      const why = decision({ kind: "unreadable", detail: "its body failed verification" });
      record.decision = why;
      return this.#runTask(slot, why, meta, components);
    }
    if (!chosen.run && meta) {
      slot.digest = meta.digest;
      Object.assign(record, { state: "cached", resultType: meta.type, size: meta.size, digest: meta.digest, expiresAt: meta.expiresAt });
      record.finishedAt = plan.now();
      record.durationMs = record.finishedAt - record.startedAt!;
      this.#emit({ type: "task:cached", task: task.name, decision: chosen, resultType: meta.type, at: record.finishedAt });
      return;
    }
    await this.#runTask(slot, chosen, meta, components);
  }

  async #runTask(slot: Slot, chosen: TaskDecision, previous: ResultMeta | undefined, components: FingerprintComponents): Promise<void> {
    const { task, record } = slot;
    const plan = this.#plan;
    let base: Logger;
    try {
      base = plan.logger.forTask(task.name, plan.pipeline.name);
    } catch (error) {
      this.#emit({ type: "warn", task: task.name, message: `No logger for this task (${errorMessage(error)})`, at: plan.now() });
      base = silentLogger().forTask(task.name, plan.pipeline.name);
    }
    const logger = this.#taskLogger(slot, base);
    const started = performance.now();
    const abandoned = new AbandonedWork();
    record.startedAt = plan.now();
    for (let attempt = 1; ; attempt++) {
      record.attempts = attempt;
      this.#emit({ type: "task:start", task: task.name, attempt, decision: chosen, at: plan.now() });
      try {
        const outcome = await runAttempt(task, abandoned, {
          pipeline: plan.pipeline,
          executor: task.runIn === "main" ? inProcessExecutor : plan.executor,
          logger,
          attempt,
          runSignal: plan.signal,
          drained: this.#drained.signal,
          readResult: (name) => this.#readResult(name),
          onProcess: (name, ms) => this.#emit({ type: "task:process", task: task.name, process: name, durationMs: ms, at: plan.now() }),
        });
        record.processes = outcome.processes;
        const body = await this.#prepare(slot, outcome, previous, components);
        // The save is asked for before any dependent starts, so a store that writes in order
        // never holds a dependent's result without its upstream's.
        const permit = await this.#saves.acquire(body.byteLength);
        const saved = plan.store.put(task.name, body, slot.meta!);
        void saved.then(permit, permit);
        this.#release(slot);
        try {
          await saved;
        } catch (error) {
          return this.#fail(slot, new StoreError(`Task "${task.name}": the result could not be stored (${errorMessage(error)}).`, error));
        }
        record.state = "executed";
        slot.saved = true;
        this.#letGo(slot);
        // An attempt that ran elsewhere sent bytes only: the value is read back when asked for.
        if ("value" in outcome) keepValue(task, outcome.value, body.byteLength);
        else forgetValue(task);
        record.finishedAt = plan.now();
        record.durationMs = performance.now() - started;
        this.#emit({ type: "task:done", task: task.name, record, at: record.finishedAt });
        return;
      } catch (error) {
        const retryable = isRetryable(error) && !plan.signal.aborted;
        if (retryable && attempt <= task.retries.count) {
          const delayMs = Math.min(task.retries.delayMs * task.retries.factor ** (attempt - 1), task.retries.maxDelayMs);
          this.#emit({ type: "task:retry", task: task.name, attempt, delayMs, error, at: plan.now() });
          // An attempt that timed out may still be running: give it a grace period (1 s or five
          // timeouts, whichever is longer) to settle, so attempts do not overlap.
          await Promise.race([abandoned.settled(), sleep(Math.max(1000, 5 * (task.timeout ?? 0)), plan.signal)]);
          await sleep(delayMs, plan.signal);
          if (!plan.signal.aborted) continue;
        }
        record.durationMs = performance.now() - started;
        if (error instanceof AbortedError || plan.signal.aborted) {
          record.state = "cancelled";
          record.error = errorInfo(error instanceof AbortedError ? error : new AbortedError(task.name));
          record.finishedAt = plan.now();
          slot.failedRoots = [task.name];
          return;
        }
        return this.#fail(slot, error);
      }
    }
  }

  /** Builds a serialized result's metadata; the body is kept in memory for dependents. */
  async #prepare(slot: Slot, outcome: AttemptResult, previous: ResultMeta | undefined, decided: FingerprintComponents): Promise<Uint8Array> {
    const { task, record } = slot;
    const plan = this.#plan;
    const { body } = outcome;
    if (body.byteLength > MAX_RESULT_BYTES) throw new ResultTooLargeError(task.name, body.byteLength);
    const digest = digestBytes(body);
    // Code and inputs as they were when the task started (a file edited mid-run must not be
    // recorded as seen); upstream digests as they are now, so a dependency repaired mid-run counts.
    const components = { ...decided, upstream: await upstreamDigests(task, this.#upstreamDigest) };
    const now = plan.now();
    const policy = task.expire;
    const meta: ResultMeta = {
      key: task.name,
      fingerprint: combineFingerprint(components),
      components,
      digest,
      size: body.byteLength,
      serializer: task.serializer.name,
      createdAt: now,
      expiresAt: policy.expiresAt(new Date(now)),
      session: policy.session ? SESSION_ID : undefined,
      expiry: policy.label,
      empty: outcome.empty,
      type: outcome.type,
    };
    slot.meta = meta;
    slot.digest = digest;
    slot.body = body;
    Object.assign(record, { resultType: meta.type, size: meta.size, digest, expiresAt: meta.expiresAt, unchanged: previous?.digest === digest });
    return body;
  }

  #fail(slot: Slot, error: unknown, state: "failed" | "upstream-failed" = "failed"): void {
    const { record, task } = slot;
    record.state = state;
    record.error = errorInfo(error);
    recordError(task, error);
    record.finishedAt = this.#plan.now();
    record.durationMs ||= record.finishedAt - (record.startedAt ?? record.finishedAt);
    slot.failedRoots ??= [task.name];
    this.#emit({ type: "task:fail", task: task.name, record, error, at: record.finishedAt });
  }

  #skip(slot: Slot, why: TaskDecision, failedRoots: string[] | undefined): void {
    slot.record.state = "skipped";
    slot.record.decision = why;
    slot.record.finishedAt = this.#plan.now();
    slot.failedRoots = failedRoots;
    this.#emit({ type: "task:skip", task: slot.task.name, record: slot.record, at: slot.record.finishedAt });
  }

  #upstreamBroken(slot: Slot, broken: Slot[]): void {
    // Name the tasks that actually failed, not the ones skipped because of them.
    const roots = [...new Set(broken.flatMap((b) => b.failedRoots ?? []))];
    if (slot.task.ifUpstreamErrors === "skip") {
      const why = `upstream ${roots.join(", ")} failed`;
      this.#emit({ type: "warn", task: slot.task.name, message: `Skipped because ${why}`, at: this.#plan.now() });
      return this.#skip(slot, decision({ kind: "skipped", detail: why }), roots);
    }
    const error = new DependencyFailure(slot.task.name, roots);
    slot.record.decision = decision({ kind: "skipped", detail: error.message });
    slot.failedRoots = roots;
    this.#fail(slot, error, "upstream-failed");
  }

  /**
   * A result this run produced and holds in memory (its save may still be under way), so
   * that `pipeline.getResult()` inside a task sees it.
   */
  heldResult(name: string): { body: Uint8Array; serializer: string } | undefined {
    const slot = this.#slots.get(name);
    return slot?.body && slot.meta ? { body: slot.body, serializer: slot.meta.serializer } : undefined;
  }

  /**
   * A result for a running task, as bytes: from this run's memory, else from the store —
   * and then only the exact version the task's fingerprint records. Another process may
   * have replaced it since this run decided it was fresh; using the newer one would store
   * the dependent as computed from a version it never saw.
   */
  async #readResult(name: string): Promise<ResultBytes> {
    const slot = this.#slots.get(name);
    if (!slot && !this.#plan.pipeline.hasTask(name)) this.#plan.pipeline.getTask(name); // throws, with a suggestion
    const held = this.heldResult(name);
    if (held) return held;
    // A task of this run that has not settled on a result (a sibling still running, read
    // through pipeline.getResult) is read as stored, as pipeline.getResult() would.
    const expected = slot?.digest ?? (await this.#outsideDigest(name));
    const stored = await this.#plan.store.get(name).catch((error: unknown) => {
      this.#emit({ type: "warn", task: name, message: `Stored result unreadable: ${errorMessage(error)}`, at: this.#plan.now() });
      return undefined;
    });
    if (stored && stored.meta.digest === expected) return { body: stored.body, serializer: stored.meta.serializer };
    // Listed as fresh but the body is gone, corrupt or replaced meanwhile: run the task again, once.
    if (slot && slot.record.state === "cached") {
      await this.#repair(slot);
      const repaired = this.heldResult(name);
      if (repaired) return repaired;
    }
    if (stored) throw new UnreadableResultError(this.#plan.pipeline.name, name, "was replaced by another process while this run was using it");
    throw new NoResultError(this.#plan.pipeline.name, name);
  }

  #repair(slot: Slot): Promise<void> {
    let pending = this.#repairs.get(slot.task.name);
    if (!pending) {
      this.#emit({ type: "warn", task: slot.task.name, message: "Cached result is missing or corrupt, or was replaced meanwhile; running the task again", at: this.#plan.now() });
      pending = this.#computeAndRun(slot);
      this.#repairs.set(slot.task.name, pending);
    }
    return pending;
  }

  /** Runs a task again whose stored body turned out unreadable; a dependent is waiting for it. */
  async #computeAndRun(slot: Slot): Promise<void> {
    const components = await this.#components(slot.task);
    await this.#runTask(slot, decision({ kind: "unreadable", detail: "body missing or corrupt" }), undefined, components);
  }

  /** Results of `onComplete` tasks, and empty results when asked, expire now that the run is complete. */
  async #expireOnComplete(): Promise<void> {
    const { store, expireResultsIfNone, now } = this.#plan;
    const at = now();
    for (const slot of this.#slots.values()) {
      const { state } = slot.record;
      if (state !== "executed" && state !== "cached") continue;
      const empty = state === "executed" ? slot.record.resultType === "null" || slot.record.resultType === "undefined" : false;
      if (!slot.task.expire.onComplete && !(expireResultsIfNone && empty)) continue;
      try {
        if (store.setExpiry) await store.setExpiry(slot.task.name, at);
        else await store.delete(slot.task.name);
      } catch (error) {
        this.#emit({ type: "warn", task: slot.task.name, message: `Could not expire result: ${errorMessage(error)}`, at });
      }
    }
  }
}

