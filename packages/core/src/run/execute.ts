import { randomUUID } from "node:crypto";
import type { AttemptResult } from "../contracts/executor.js";
import type { Logger, RunEvent } from "../contracts/logger.js";
import type { FingerprintComponents } from "../contracts/store.js";
import type { BranchReport, EscapedReport, RunSummary, TaskRecord } from "../contracts/summary.js";
import { AbortedError, DependencyFailure, errorMessage } from "../errors.js";
import { isPromiseLike } from "../executor/attempt.js";
import { errorInfo } from "../executor/wire-error.js";
import { componentsNow, computeComponents } from "../fingerprint/components.js";
import { type RunDecision, decideForRun } from "../freshness/decide.js";
import type { DecisionMeta } from "../freshness/stored-meta.js";
import { type TaskDecision, decision } from "../freshness/reason.js";
import { silentLogger } from "../logger/plain.js";
import { forgetValue, keepValue, recordError, recordState } from "../task/outcome.js";
import { attemptWithRetries } from "./attempts.js";
import { containEscapes } from "./contain.js";
import { criticalPath } from "./critical-path.js";
import { drainController, onEventLoopDrained } from "./drained.js";
import type { AttemptEnv } from "./invoke.js";
import { mappedEnv } from "../map/env.js";
import { type MappedOutcome, runMapped } from "../map/run-mapped.js";
import { OutputOrder } from "./output-order.js";
import { expireOnComplete, storeResult } from "./persist.js";
import { SavePermits } from "./permits.js";
import type { RunPlan } from "./plan.js";
import { dropReadAhead, readAheadLater, roomForCopy } from "./read-ahead.js";
import { rememberStored } from "./recent.js";
import { RunResults } from "./results.js";
import { Scheduler } from "./scheduler.js";
import { type TaskSlot, makeSlots } from "./slot.js";
import { type RunSide, TaskRun } from "./task-run.js";
import { totalsOf } from "./totals.js";
import { storedBodyIs } from "./verify.js";

export type { RunPlan };

/**
 * One run of a pipeline. Each task's story: wait for its dependencies; unless skipped or
 * broken upstream, decide whether its stored result is fresh; use it, or run attempts
 * (with retries) and store the result while dependents already start on it.
 */
export class Run {
  readonly id = randomUUID();
  readonly #plan: RunPlan;
  readonly #slots: Map<string, TaskSlot>;
  readonly #output: OutputOrder;
  readonly #scheduler: Scheduler;
  readonly #results: RunResults;
  /** Bounds the saves in flight: each may hold files open. */
  readonly #saves = new SavePermits();
  /** Aborted, and replaced, each time the event loop runs dry during the run. */
  #drained = drainController();
  /** Errors that escaped tasks' code when no attempt of theirs was running to fail with them. */
  readonly #escaped: EscapedReport[] = [];
  readonly #escapes = { escaped: (error: unknown, task: string | undefined) => this.#onEscaped(error, task) };
  readonly #emit = (event: RunEvent) => this.#output.emit(event);
  /** What each executed task's way through the run needs from it (see task-run.ts). */
  readonly #side: RunSide;

  constructor(plan: RunPlan) {
    this.#plan = plan;
    this.#slots = makeSlots(plan.order, plan.selected);
    this.#output = new OutputOrder(this.#slots, plan.logger, plan.now);
    this.#results = new RunResults(plan, this.#slots, this.#emit, (slot) => this.#rerunUnreadable(slot));
    this.#scheduler = new Scheduler({
      slots: this.#slots,
      concurrency: plan.concurrency,
      signal: plan.signal,
      now: plan.now,
      start: (slot) => this.#settle(slot),
      onFinish: (slot) => this.#output.finished(slot),
    });
    this.#side = {
      plan,
      permits: this.#saves,
      escapes: this.#escapes,
      drained: () => this.#drained.signal,
      emit: this.#emit,
      taskLogger: (slot) => this.#output.taskLogger(slot, () => this.#baseLogger(slot)),
      readResult: (name, reader) => this.#results.read(name, reader),
      upstreamDigest: this.#results.upstreamDigest,
      release: (slot) => this.#scheduler.release(slot),
      stored: (slot, outcome, started) => this.#handleStored(slot, outcome, started),
      readAhead: (slot, outcome) => {
        const alone = () => this.#scheduler.onlyUnfinished(slot);
        if (alone()) readAheadLater(plan.pipeline, slot.task.name, outcome, alone);
      },
      // Alone now, alone when its save starts: no other task is left to start or finish. Only
      // a store that hashes a big body itself lets the run read it ahead (see persist.ts). The
      // heap is asked about only for an object: a primitive is its own copy, and most tasks
      // of a long chain return one.
      wantsCopy: (slot, value) =>
        (typeof plan.store.putHashing === "function" || typeof plan.store.openBody === "function") &&
        this.#scheduler.onlyUnfinished(slot) &&
        (value === null || typeof value !== "object" || roomForCopy()),
    };
  }

  /** A result this run produced and holds in memory (its save may still be under way). */
  heldResult(name: string): { body: Uint8Array; serializer: string } | undefined {
    return this.#results.held(name);
  }

  async execute(): Promise<RunSummary> {
    const plan = this.#plan;
    const startedAt = plan.now();
    dropReadAhead();
    await plan.store.open?.();
    this.#output.emit({ type: "run:start", pipeline: plan.pipeline.name, tasks: [...this.#slots.keys()], at: startedAt });
    // Attempts awaited when nothing is left to settle them fail, instead of the process ending silently.
    const unwatch = onEventLoopDrained(() => {
      const drained = this.#drained;
      this.#drained = drainController();
      drained.abort();
    });
    // A task's stray error or process.exit() fails the task, not the process; until the run's end only.
    const release = containEscapes(this.#escapes);
    try {
      await this.#scheduler.run().finally(unwatch);
      return await this.#finish(startedAt);
    } finally {
      release();
    }
  }

  async #finish(startedAt: number): Promise<RunSummary> {
    const plan = this.#plan;
    const interrupted = plan.signal.aborted;
    if (!interrupted) {
      const warn = (task: string, message: string) => this.#output.emit({ type: "warn", task, message, at: plan.now() });
      await expireOnComplete(plan.store, this.#slots.values(), { expireResultsIfNone: plan.expireResultsIfNone, at: plan.now(), warn });
    }
    const records: TaskRecord[] = [];
    for (const slot of this.#slots.values()) {
      recordState(slot.task, slot.record.state);
      records.push(slot.record);
    }
    const totals = totalsOf(records);
    const finishedAt = plan.now();
    const ok = !interrupted && totals.failed === 0 && totals.upstreamFailed === 0 && this.#escaped.length === 0;
    const summary: RunSummary = {
      pipeline: plan.pipeline.name,
      runId: this.id,
      startedAt,
      finishedAt,
      durationMs: finishedAt - startedAt,
      ok,
      interrupted,
      tasks: records,
      totals,
      criticalPath: criticalPath(this.#slots),
    };
    if (this.#escaped.length > 0) summary.escaped = [...this.#escaped];
    this.#output.flushAll();
    this.#output.emit({ type: "run:end", summary, at: finishedAt });
    await plan.logger.flush?.();
    return summary;
  }

  /** An error escaped a task's code with no attempt running to take it: reported, and the run is not ok. */
  #onEscaped(error: unknown, task: string | undefined): void {
    const known = task !== undefined && this.#slots.has(task) ? task : undefined;
    const report: EscapedReport = { task: known, message: errorMessage(error) };
    this.#escaped.push(report);
    const where = known === undefined ? "An error escaped the tasks' code" : "An error escaped this task's code after it finished";
    this.#output.emit({ type: "warn", task: known, message: `${where} (thrown in a timer or callback, or a promise rejection nobody handled): ${report.message}`, at: this.#plan.now() });
  }

  /**
   * Takes one task from `running` to its outcome, then tells the scheduler it is done.
   * Written without `async`: a task decided, run and held in memory at once (the usual
   * case) costs no promises here beyond those of deciding and saving.
   */
  #settle(slot: TaskSlot): void {
    const { task, record } = slot;
    const plan = this.#plan;
    try {
      record.startedAt = plan.now();
      if (plan.skipped.has(task.name)) return this.#doneAfter(slot, this.#handleSkippedByRequest(slot));
      const broken = this.#brokenUpstreams(slot);
      if (broken) this.#handleUpstreamFailed(slot, broken);
      else {
        const meta = this.#results.storedMeta(task.name);
        const decided = decideForRun(task, meta, plan.cwd, this.#results.upstreamDigest, record.startedAt, plan.forced.has(task.name));
        decided.then(
          (freshness) => this.#decided(slot, freshness),
          (error: unknown) => this.#undecided(slot, meta, error),
        );
        return;
      }
    } catch (error) {
      // A fault outside a task's own code (a throwing logger, odd metadata) fails that task, never the run.
      this.#fail(slot, error);
    }
    this.#scheduler.done(slot);
  }

  /** Deciding failed: a fault of the store reading the metadata is told against the task, as is any other. */
  #undecided(slot: TaskSlot, meta: DecisionMeta | undefined | Promise<DecisionMeta | undefined>, error: unknown): void {
    if (!isPromiseLike(meta)) return this.#failedThenDone(slot, error);
    Promise.resolve(meta).then(
      () => this.#failedThenDone(slot, error),
      (fault: unknown) => this.#failedThenDone(slot, fault === error ? this.#results.metaFault(slot.task.name, error) : error),
    );
  }

  /** The task is decided: it runs, or its stored result is used. */
  #decided(slot: TaskSlot, { decision: chosen, meta, components, fingerprint }: RunDecision): void {
    const { record } = slot;
    try {
      record.decision = chosen;
      // A task that runs was decided with its components (see decideForRun).
      if (chosen.run || !meta) return this.#doneAfter(slot, this.#handleNeedsRun(slot, chosen, meta, components!, fingerprint));
      if (this.#plan.verify) return this.#doneAfter(slot, this.#verifyThenUse(slot, chosen, meta));
      this.#handleCached(slot, chosen, meta);
    } catch (error) {
      this.#fail(slot, error);
    }
    this.#scheduler.done(slot);
  }

  /** With `verify`: the stored body is read and checked before the result is used. */
  async #verifyThenUse(slot: TaskSlot, chosen: TaskDecision, meta: DecisionMeta): Promise<void> {
    if (await storedBodyIs(this.#plan.store, slot.task.name, meta.digest)) return this.#handleCached(slot, chosen, meta);
    slot.record.decision = decision({ kind: "unreadable", detail: "its body failed verification" });
    // Computed now: a result used as it is was decided without them.
    const upstreamDigest = this.#results.upstreamDigest;
    const components = componentsNow(slot.task, upstreamDigest) ?? (await computeComponents(slot.task, this.#plan.cwd, upstreamDigest));
    return this.#handleNeedsRun(slot, slot.record.decision, meta, components);
  }

  /** Tells the scheduler the task is done once `pending` is over; failing the task if it failed. */
  #doneAfter(slot: TaskSlot, pending: void | Promise<void>): void {
    if (!pending) return this.#scheduler.done(slot);
    pending.then(
      () => this.#scheduler.done(slot),
      (error: unknown) => this.#failedThenDone(slot, error),
    );
  }

  #failedThenDone(slot: TaskSlot, error: unknown): void {
    try {
      this.#fail(slot, error);
    } finally {
      this.#scheduler.done(slot);
    }
  }

  /** The in-run dependencies that failed or were skipped because of a failure; undefined when none did. */
  #brokenUpstreams(slot: TaskSlot): TaskSlot[] | undefined {
    let broken: TaskSlot[] | undefined;
    for (const up of slot.upstream) if (up.failedRoots) (broken ??= []).push(up);
    return broken;
  }

  #handleSkippedByRequest(slot: TaskSlot): Promise<void> {
    // Skipped tasks are not run whatever happened upstream; dependents use what is stored.
    return this.#results.meta(slot.task.name).then(
      (meta) => this.#skip(slot, decision({ kind: "skipped", detail: "skipped by request" }), undefined, meta?.digest),
      () => this.#skip(slot, decision({ kind: "skipped", detail: "skipped by request" }), undefined, undefined),
    );
  }

  #handleUpstreamFailed(slot: TaskSlot, broken: TaskSlot[]): void {
    // Name the tasks that actually failed, not the ones skipped because of them.
    const roots = [...new Set(broken.flatMap((b) => b.failedRoots ?? []))];
    if (slot.task.ifUpstreamErrors === "skip") {
      const why = `upstream ${roots.join(", ")} failed`;
      this.#output.emit({ type: "warn", task: slot.task.name, message: `Skipped because ${why}`, at: this.#plan.now() });
      return this.#skip(slot, decision({ kind: "skipped", detail: why }), roots, undefined);
    }
    const error = new DependencyFailure(slot.task.name, roots);
    slot.record.decision = decision({ kind: "skipped", detail: error.message });
    slot.failedRoots = roots;
    this.#fail(slot, error, "upstream-failed");
  }

  #handleCached(slot: TaskSlot, chosen: TaskDecision, meta: DecisionMeta): void {
    const { record } = slot;
    slot.digest = meta.digest;
    record.state = "cached";
    record.resultType = meta.type;
    record.size = meta.size;
    record.digest = meta.digest;
    record.expiresAt = meta.expiresAt;
    record.finishedAt = this.#plan.now();
    record.durationMs = record.finishedAt - record.startedAt!;
    this.#output.emit({ type: "task:cached", task: slot.task.name, decision: chosen, resultType: meta.type, at: record.finishedAt });
  }

  /**
   * Runs the task's attempts, then stores the result; at once where every step is done at once.
   * @param fingerprint - of `components`, when the decision already combined it
   */
  #handleNeedsRun(
    slot: TaskSlot,
    chosen: TaskDecision,
    previous: DecisionMeta | undefined,
    components: FingerprintComponents,
    fingerprint?: string,
  ): void | Promise<void> {
    const { task, record } = slot;
    const run = new TaskRun(this.#side, slot, performance.now());
    record.startedAt = this.#plan.now();
    let outcome: AttemptResult | Promise<AttemptResult>;
    try {
      // A mapped task runs one attempt per branch, each with its own retries: see map/.
      outcome = task.map ? this.#runBranches(slot, chosen, run, components) : attemptWithRetries(task, record, chosen, run);
    } catch (error) {
      return this.#attemptFailed(run, error);
    }
    if (!isPromiseLike(outcome)) return this.#store(run, outcome, previous, components, fingerprint);
    return Promise.resolve(outcome).then(
      (done) => this.#store(run, done, previous, components, fingerprint),
      (error: unknown) => this.#attemptFailed(run, error),
    );
  }

  #attemptFailed(run: TaskRun, error: unknown): void {
    const { slot } = run;
    const { record } = slot;
    record.durationMs = performance.now() - run.started;
    record.branches ??= (error as { branches?: BranchReport } | null)?.branches;
    if (error instanceof AbortedError || this.#plan.signal.aborted) return this.#cancel(slot, error);
    return this.#fail(slot, error);
  }

  #store(run: TaskRun, outcome: AttemptResult, previous: DecisionMeta | undefined, components: FingerprintComponents, fingerprint: string | undefined): Promise<void> {
    const { record } = run.slot;
    record.processes = outcome.processes;
    if (outcome.ranOn !== undefined) record.ranOn = outcome.ranOn;
    return storeResult(run.slot, outcome, previous, components, fingerprint, run.storing(outcome));
  }

  /** The task's result is stored: it reports done, and dependents held back by its save may show their output. */
  #handleStored(slot: TaskSlot, outcome: AttemptResult, started: number): void {
    const { task, record } = slot;
    const plan = this.#plan;
    if (slot.meta) rememberStored(plan.pipeline, outcome.body, slot.meta);
    // An attempt that ran elsewhere sent bytes only: the value is read back when asked for.
    if ("value" in outcome) keepValue(task, outcome.value, outcome.body.byteLength);
    else forgetValue(task);
    record.state = "executed";
    record.finishedAt = plan.now();
    record.durationMs = performance.now() - started;
    this.#output.emit({ type: "task:done", task: task.name, record, at: record.finishedAt });
    this.#scheduler.done(slot);
  }

  /** A mapped task: one task:start, then its branches decided, run and assembled (see map/). */
  async #runBranches(slot: TaskSlot, chosen: TaskDecision, run: TaskRun, components: FingerprintComponents): Promise<MappedOutcome> {
    const { task, record } = slot;
    record.attempts = 1;
    this.#output.emit({ type: "task:start", task: task.name, attempt: 1, decision: chosen, at: this.#plan.now() });
    // The branches take the attempt's functions off it and call them on their own.
    const one = run.attemptEnv(1);
    const env: AttemptEnv = {
      pipeline: one.pipeline,
      executor: one.executor,
      get logger() {
        return one.logger;
      },
      attempt: 1,
      runSignal: one.runSignal,
      drained: one.drained,
      escapes: one.escapes,
      readResult: (name) => one.readResult(name),
      onProcess: (name, ms, branch) => one.onProcess(name, ms, branch),
    };
    const outcome = await runMapped(task, mappedEnv(this.#plan, task, env, components, (e) => this.#output.emit(e), this.#scheduler.permits));
    record.branches = outcome.branches;
    return outcome;
  }

  #baseLogger(slot: TaskSlot): Logger {
    const plan = this.#plan;
    try {
      return plan.logger.forTask(slot.task.name, plan.pipeline.name);
    } catch (error) {
      this.#output.emit({ type: "warn", task: slot.task.name, message: `No logger for this task (${errorMessage(error)})`, at: plan.now() });
      return silentLogger().forTask(slot.task.name, plan.pipeline.name);
    }
  }

  /** Runs a task again whose stored body turned out unreadable; a dependent is waiting for it. */
  async #rerunUnreadable(slot: TaskSlot): Promise<void> {
    const components = await computeComponents(slot.task, this.#plan.cwd, this.#results.upstreamDigest);
    await this.#handleNeedsRun(slot, decision({ kind: "unreadable", detail: "body missing or corrupt" }), undefined, components);
  }

  #fail(slot: TaskSlot, error: unknown, state: "failed" | "upstream-failed" = error instanceof DependencyFailure ? "upstream-failed" : "failed"): void {
    const { record, task } = slot;
    record.state = state;
    record.error = errorInfo(error);
    recordError(task, error);
    record.finishedAt = this.#plan.now();
    record.durationMs ||= record.finishedAt - (record.startedAt ?? record.finishedAt);
    slot.failedRoots ??= [task.name];
    this.#output.emit({ type: "task:fail", task: task.name, record, error, at: record.finishedAt });
  }

  #cancel(slot: TaskSlot, error: unknown): void {
    const { record, task } = slot;
    record.state = "cancelled";
    record.error = errorInfo(error instanceof AbortedError ? error : new AbortedError(task.name));
    record.finishedAt = this.#plan.now();
    slot.failedRoots = [task.name];
  }

  #skip(slot: TaskSlot, why: TaskDecision, failedRoots: string[] | undefined, digest: string | undefined): void {
    slot.digest = digest;
    slot.record.state = "skipped";
    slot.record.decision = why;
    slot.record.finishedAt = this.#plan.now();
    slot.failedRoots = failedRoots;
    this.#output.emit({ type: "task:skip", task: slot.task.name, record: slot.record, at: slot.record.finishedAt });
  }
}
