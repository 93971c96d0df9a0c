import type { AttemptResult, Executor, ResultBytes } from "../contracts/executor.js";
import type { RunEvent, TaskLogger } from "../contracts/logger.js";
import type { ResultStore } from "../contracts/store.js";
import { inProcessExecutor } from "../executor/in-process.js";
import type { Pipeline } from "../pipeline.js";
import type { AttemptsEnv } from "./attempts.js";
import { type AbandonedWork, type AttemptEnv, runAttempt } from "./invoke.js";
import type { StoreContext } from "./persist.js";
import type { SavePermits } from "./permits.js";
import type { RunPlan } from "./plan.js";
import type { TaskSlot } from "./slot.js";
import type { EscapeSink } from "./task-context.js";

/** What a task's way through the run needs from the run itself, shared by all its tasks. */
export interface RunSide {
  readonly plan: RunPlan;
  readonly permits: SavePermits;
  readonly escapes: EscapeSink;
  /** Aborted when the event loop runs dry (replaced each time it has). */
  drained(): AbortSignal;
  emit(event: RunEvent): void;
  /** The task's logger, its lines kept in order with the run's events. */
  taskLogger(slot: TaskSlot): TaskLogger;
  readResult(name: string, reader: string): Promise<ResultBytes>;
  upstreamDigest(dep: string): string | undefined | Promise<string | undefined>;
  /** Lets the task's dependents start: its result is held in memory. */
  release(slot: TaskSlot): void;
  /** The task's result is stored. */
  stored(slot: TaskSlot, outcome: AttemptResult, started: number): void;
  /** The store is writing the task's big result, whose digest it knows. */
  readAhead(slot: TaskSlot, outcome: AttemptResult): void;
  /** Whether the task's result may be read ahead (see `readAhead`): its serializer is then asked for a copy. */
  wantsCopy(slot: TaskSlot, value: unknown): boolean;
}

/**
 * One executed task's way through the run: the retry policy's, each attempt's and the
 * save's view of the run in one object per task, rather than a literal and a handful of
 * closures for each of them (a run of many quick tasks is mostly this bookkeeping).
 */
export class TaskRun implements AttemptsEnv, StoreContext {
  readonly #side: RunSide;
  readonly slot: TaskSlot;
  /** When the task started running (performance.now()). */
  readonly started: number;
  readonly now: () => number;
  #logger: TaskLogger | undefined;
  #outcome: AttemptResult | undefined;

  constructor(side: RunSide, slot: TaskSlot, started: number) {
    this.#side = side;
    this.slot = slot;
    this.started = started;
    this.now = side.plan.now;
  }

  /** Made when the task (or an executor forwarding lines) first asks for it: most tasks never log. */
  get logger(): TaskLogger {
    return (this.#logger ??= this.#side.taskLogger(this.slot));
  }

  // AttemptsEnv
  get signal(): AbortSignal {
    return this.#side.plan.signal;
  }

  emit(event: RunEvent): void {
    this.#side.emit(event);
  }

  attempt(attempt: number, abandoned: AbandonedWork): AttemptResult | Promise<AttemptResult> {
    return runAttempt(this.slot.task, abandoned, this.attemptEnv(attempt));
  }

  /** What attempt number `attempt` needs from the run. */
  attemptEnv(attempt: number): AttemptEnv {
    const task = this.slot.task;
    const side = this.#side;
    return new OneAttempt(this, side, task.runIn === "main" ? inProcessExecutor : side.plan.executor, attempt);
  }

  /** Reads a result for the task's code. */
  readResult(name: string): Promise<ResultBytes> {
    return this.#side.readResult(name, this.slot.task.name);
  }

  /** Reports a process call of the task's. */
  onProcess(name: string, ms: number, branch?: string): void {
    const at = this.#side.plan.now();
    const task = this.slot.task.name;
    this.#side.emit(branch ? { type: "task:process", task, process: name, durationMs: ms, at, branch } : { type: "task:process", task, process: name, durationMs: ms, at });
  }

  // StoreContext, once the attempt has its outcome
  /** Sets the outcome the save reports when it is stored. */
  storing(outcome: AttemptResult): this {
    this.#outcome = outcome;
    return this;
  }

  get store(): ResultStore {
    return this.#side.plan.store;
  }

  get upstream(): readonly TaskSlot[] {
    return this.slot.upstream;
  }

  get upstreamDigest(): (dep: string) => string | undefined | Promise<string | undefined> {
    return this.#side.upstreamDigest;
  }

  get permits(): SavePermits {
    return this.#side.permits;
  }

  release(): void {
    this.#side.release(this.slot);
  }

  stored(): void {
    this.#side.stored(this.slot, this.#outcome!, this.started);
  }

  readAhead(outcome: AttemptResult): void {
    this.#side.readAhead(this.slot, outcome);
  }

  wantsCopy(value: unknown): boolean {
    return this.#side.wantsCopy(this.slot, value);
  }
}

/** What one attempt of a task needs from the run (see `runAttempt`). */
class OneAttempt implements AttemptEnv {
  readonly #run: TaskRun;
  readonly pipeline: Pipeline;
  readonly executor: Executor;
  readonly attempt: number;
  readonly runSignal: AbortSignal;
  readonly drained: AbortSignal;
  readonly escapes: EscapeSink;
  readonly branch: undefined;
  /** The first attempt's result, when given at once, is stored at once (see `withRetries`, `#handleNeedsRun`); a retry's is awaited first. */
  readonly savedAtOnce: boolean;

  constructor(run: TaskRun, side: RunSide, executor: Executor, attempt: number) {
    this.#run = run;
    this.pipeline = side.plan.pipeline;
    this.executor = executor;
    this.attempt = attempt;
    this.runSignal = side.plan.signal;
    this.drained = side.drained();
    this.escapes = side.escapes;
    this.branch = undefined;
    this.savedAtOnce = attempt === 1;
  }

  get logger(): TaskLogger {
    return this.#run.logger;
  }

  readResult(name: string): Promise<ResultBytes> {
    return this.#run.readResult(name);
  }

  onProcess(name: string, durationMs: number, branch?: string): void {
    this.#run.onProcess(name, durationMs, branch);
  }

  wantsCopy(value: unknown): boolean {
    return this.#run.wantsCopy(value);
  }
}
