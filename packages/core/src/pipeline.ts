import { setMaxListeners } from "node:events";
import type { LoggerProvider } from "./contracts/logger.js";
import type { ResultStore, StoreOption } from "./contracts/store.js";
import {
  AbortedError,
  DuplicateTaskError,
  InvalidOptionError,
  type LpError,
  NoResultError,
  PipelineBusyError,
  PipelineValidationError,
  TaskFailedError,
  UnknownTaskError,
  UnreadableResultError,
} from "./errors.js";
import { findDefiningFile } from "./fingerprint/call-site.js";
import { checkOptionKeys, checkTaskName } from "./task/check-options.js";
import { type ExecutorChoice, type ExecutorFactories, resolveExecutor } from "./executor/choose.js";
import { workerHooks } from "./executor/worker-hooks.js";
import { closestName } from "./graph/suggest.js";
import { type PipelineLocation, locatePipeline } from "./location/results-home.js";
import { findProblems, topologicalOrder } from "./graph/validate.js";
import { plainLogger } from "./logger/plain.js";
import { Run } from "./run/execute.js";
import { readStored } from "./run/read.js";
import { executeIsOff } from "./run/load-only.js";
import { onCtrlC } from "./run/sigint.js";
import { planStatus, type TaskStatus } from "./run/status.js";
import type { RunSummary } from "./contracts/summary.js";
import { recentlyStored } from "./run/recent.js";
import { MemoryStore } from "./store/memory-store.js";
import { keepValue, outcomeOf } from "./task/outcome.js";
import { Task } from "./task/task.js";

/** Options of `new Pipeline()`. */
export interface PipelineOptions {
  /** Where results are kept: a store, or a factory given the pipeline's name and {@link Pipeline.location}. @default a new MemoryStore */
  store?: StoreOption;
  /** Output and per-task loggers. @default plainLogger() */
  logger?: LoggerProvider;
  /** How many tasks may run at once. @default 8 */
  concurrency?: number;
  /** Folder that relative `inputFiles` are resolved against. @default process.cwd() */
  cwd?: string;
  /** The clock, injectable for tests. @default () => new Date() */
  clock?: () => Date;
  /** Drop `null`/`undefined` results when the run completes, so such tasks run every time (the seed's `expire_results_if_none`). @default true */
  expireResultsIfNone?: boolean;
  /** One line about the pipeline, shown by the shell. */
  description?: string;
  /**
   * Where task attempts run: `"in-process"` (this thread), `"threads"` (a pool of worker
   * threads, one per core), or an `Executor` such as `threadsExecutor({ threads: 4 })`.
   * With an executor of limited capacity, at most that many tasks run at once.
   * Tasks with `runIn: "main"` always run on this thread.
   * @default "in-process"
   */
  executor?: ExecutorChoice;
  /** How named executors are made; the `little-pipelines` package supplies `threads`. */
  executors?: ExecutorFactories;
}

/** Options of `pipeline.execute()`. */
export interface ExecuteOptions {
  /** Ignore and replace every cached result. @default false */
  force?: boolean;
  /** Ignore and replace the cached results of these tasks. */
  forceTasks?: readonly string[];
  /** Do not run these tasks; their stored results (if any) are used as they are. */
  skipTasks?: readonly string[];
  /** Run this task and whatever upstream it needs. */
  only?: string;
  /** With `only`: also run what it depends on; false runs it alone on stored upstream results. @default true */
  withDependencies?: boolean;
  /** Overrides the pipeline's `concurrency` for this run. */
  concurrency?: number;
  /** Stops scheduling and aborts running tasks; finished results are kept. */
  signal?: AbortSignal;
  /** Treat Ctrl-C (SIGINT) like `signal` during the run. @default true */
  handleSigint?: boolean;
  /**
   * Read every result that would be used as cached and check its body against its digest;
   * tasks whose body fails run again. Costs a read of each such body. @default false
   */
  verify?: boolean;
  /** Overrides the pipeline's `executor` for this run. */
  executor?: ExecutorChoice;
}

/** Every option `new Pipeline()` takes. */
const PIPELINE_OPTIONS = ["store", "logger", "concurrency", "cwd", "clock", "expireResultsIfNone", "description", "executor", "executors"];
/** Every option `execute()` takes. */
const EXECUTE_OPTIONS = ["force", "forceTasks", "skipTasks", "only", "withDependencies", "concurrency", "signal", "handleSigint", "verify", "executor"];

/** A store or a store factory, checked when the pipeline is made rather than when a task first saves. */
/** Whether the run contained an error escaping a task's code or a task's process.exit(). */
function containedSomething(summary: RunSummary): boolean {
  return summary.escaped !== undefined || summary.tasks.some((t) => t.error?.code === "LP_ESCAPED" || t.error?.code === "LP_TASK_EXIT");
}

function checkStoreOption(where: string, store: unknown): void {
  if (store === undefined || typeof store === "function") return;
  const s = store as Partial<Record<string, unknown>> | null;
  if (s === null || typeof s !== "object" || ["get", "getMeta", "put", "has", "delete", "list", "clear"].some((m) => typeof s[m] !== "function")) {
    throw new InvalidOptionError(where, "store", "a result store (get, getMeta, put, has, delete, list, clear) or a function of the pipeline name returning one", store);
  }
}

function checkConcurrency(where: string, value: unknown): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(where, "concurrency", "a whole number from 1 up (or Infinity)", value);
  }
  return value;
}

/**
 * A set of tasks run in dependency order, independent ones side by side, with results
 * kept in a store and reused while they are fresh.
 *
 * @example
 * const pipeline = new Pipeline("Example1").add(one, two, sum);
 * const summary = await pipeline.execute();
 * console.log(await pipeline.getResult(sum)); // typed by the task
 */
export class Pipeline {
  readonly name: string;
  readonly description: string | undefined;
  /** Absolute path of the module that created the pipeline, when known (not in a REPL). */
  readonly definedIn: string | undefined;
  /**
   * Where the pipeline's files belong: its project (the nearest package.json above
   * {@link definedIn}) and the folder of pipeline folders (`$LP_HOME`, else the project's
   * `.little_pipelines/`). Given to a store factory and to the logger, so results and file
   * logs land side by side whatever the working directory.
   */
  readonly location: PipelineLocation;
  readonly #tasks = new Map<string, Task<unknown>>();
  readonly #duplicates: LpError[] = [];
  #options: PipelineOptions;
  readonly #concurrency: number;
  #store: ResultStore | undefined;
  #logger: LoggerProvider;
  #order: Task<unknown>[] | undefined;
  #lastRun: RunSummary | undefined;
  #busy = false;
  #activeRun: Run | undefined;

  /** @throws InvalidOptionError for a bad name or option */
  constructor(name: string, options: PipelineOptions = {}) {
    checkTaskName("new Pipeline()", name);
    checkOptionKeys(`new Pipeline("${name}")`, options, PIPELINE_OPTIONS);
    checkStoreOption(`Pipeline "${name}"`, options.store);
    this.name = name;
    this.description = options.description;
    this.definedIn = findDefiningFile();
    this.location = locatePipeline(this.definedIn);
    this.#options = options;
    this.#concurrency = checkConcurrency(`Pipeline "${name}"`, options.concurrency ?? 8);
    this.#logger = options.logger ?? plainLogger();
    this.#logger.locate?.(name, this.location);
    workerHooks()?.pipelineCreated(this);
  }

  /** Adds tasks, in any order. Adding the same Task object twice is harmless. */
  // biome-ignore lint/suspicious/noExplicitAny: a Task of any result type may join the pipeline
  add(...tasks: (Task<any> | readonly Task<any>[])[]): this {
    for (const task of tasks.flat()) {
      if (!(task instanceof Task)) throw new InvalidOptionError(`Pipeline "${this.name}".add()`, "task", "a Task", task);
      const existing = this.#tasks.get(task.name);
      if (existing === task) continue;
      if (existing) this.#duplicates.push(new DuplicateTaskError(task.name));
      else {
        this.#tasks.set(task.name, task);
        task.attachTo(this);
      }
      this.#order = undefined;
    }
    return this;
  }

  /** Every problem with the pipeline (unknown dependencies, cycles, duplicates, missing `run`). */
  problems(): LpError[] {
    return findProblems(this.#tasks, this.#duplicates);
  }

  /** @throws PipelineValidationError listing every problem at once */
  validate(): void {
    const problems = this.problems();
    if (problems.length > 0) throw new PipelineValidationError(this.name, problems);
  }

  /** Tasks in an order that runs every dependency first. @throws PipelineValidationError */
  get tasks(): Task<unknown>[] {
    if (!this.#order) {
      const order = topologicalOrder(this.#tasks);
      // A complete order has no unknown dependency and no cycle: looking for those again
      // is needed only to name them.
      if (order.length !== this.#tasks.size || this.#duplicates.length > 0 || !order.every((t) => t.hasRun)) this.validate();
      this.#order = order;
    }
    return [...this.#order];
  }

  /** Number of tasks. */
  get ntasks(): number {
    return this.#tasks.size;
  }

  hasTask(name: string): boolean {
    return this.#tasks.has(name);
  }

  /** @throws UnknownTaskError with a close-name suggestion */
  getTask(name: string): Task<unknown> {
    const task = this.#tasks.get(name);
    if (!task) throw new UnknownTaskError(this.name, name, closestName(name, this.#tasks.keys()));
    return task;
  }

  /** The result store, created on first use. */
  get store(): ResultStore {
    if (!this.#store) {
      const opt = this.#options.store;
      this.#store = typeof opt === "function" ? opt(this.name, this.location) : (opt ?? new MemoryStore());
    }
    return this.#store;
  }

  /**
   * Keeps results somewhere else from now on, as if given as the `store` option: how one
   * pipeline file serves a laptop and a shared store (`lp run --redis`). A store already
   * in use is closed first. Call it between runs, not during one.
   *
   * @param option - a store, or a factory given the pipeline's name and location
   * @throws InvalidOptionError when `option` is neither
   */
  async useStore(option: StoreOption): Promise<void> {
    if (typeof option !== "function" && (typeof option !== "object" || option === null || typeof option.get !== "function")) {
      throw new InvalidOptionError(`Pipeline "${this.name}" useStore()`, "store", "a result store or a store factory", option);
    }
    const previous = this.#store;
    this.#store = undefined;
    this.#options = { ...this.#options, store: option };
    await previous?.close?.();
  }

  /** The logger provider; the shell swaps it to change levels. */
  get logger(): LoggerProvider {
    return this.#logger;
  }
  set logger(value: LoggerProvider) {
    this.#logger = value;
    value.locate?.(this.name, this.location);
  }

  /** The folder input files are resolved against. */
  get cwd(): string {
    return this.#options.cwd ?? process.cwd();
  }

  /** The current time from the injected clock. */
  now(): number {
    const clock = this.#options.clock;
    return clock ? clock().getTime() : Date.now();
  }

  /**
   * A task's stored result, deserialized afresh on each call (mutating it never changes
   * the store). Typed by the task when given a Task.
   * @throws NoResultError when nothing is stored
   * @throws UnreadableResultError when a result is stored but its body fails verification
   */
  getResult<R>(task: Task<R>): Promise<R>;
  getResult<R = unknown>(name: string): Promise<R>;
  async getResult(nameOrTask: string | Task<unknown>): Promise<unknown> {
    if (typeof nameOrTask !== "string" && !(nameOrTask instanceof Task)) {
      throw new InvalidOptionError(`Pipeline "${this.name}".getResult()`, "task", "a task name or a Task", nameOrTask);
    }
    const name = typeof nameOrTask === "string" ? nameOrTask : nameOrTask.name;
    if (!this.#tasks.has(name)) this.getTask(name);
    // During a run, a result just produced may still be saving: read it from the run.
    // Then, a big body a run stored and still in memory, if it is still the stored version.
    const held = this.#activeRun?.heldResult(name) ?? (await recentlyStored(this, this.store, name));
    const found = held ?? (await this.#readStoredResult(name));
    // A value read ahead while the run saved it is the first reader's own.
    const value = "value" in found ? found.value : readStored(this, name, found.body, found.serializer);
    keepValue(this.getTask(name), value, found.body.byteLength);
    return value;
  }

  /** A stored body and its serializer; says whether a listed result failed verification. */
  async #readStoredResult(name: string): Promise<{ body: Uint8Array; serializer: string }> {
    // Whether an entry is there before reading it: a store drops a body that fails verification.
    const listed = await this.store.has(name);
    const stored = await this.store.get(name);
    if (stored) return { body: stored.body, serializer: stored.meta.serializer };
    if (listed) throw new UnreadableResultError(this.name, name, "failed verification (its body is missing or does not match its digest) and was dropped");
    throw new NoResultError(this.name, name);
  }

  /**
   * Runs one task, with what it needs upstream, using and storing results as `execute()`
   * does (fresh results are reused); the seed's `task.run()`. Unlike `execute()`, it
   * resolves with the task's result and rejects when the task does not produce one.
   * `for (const t of pipeline.tasks) await pipeline.runTask(t)` is the seed's manual loop.
   *
   * @param options - `execute()`'s options; `withDependencies: false` runs the task alone on stored upstream results
   * @throws UnknownTaskError for a task not in this pipeline
   * @throws TaskFailedError when the task failed or its upstream did (`cause` is the error)
   * @throws AbortedError when the run was stopped first
   * @throws NoResultError when the task was skipped and nothing is stored
   * @example const total = await pipeline.runTask(sum); // typed by the task
   */
  runTask<R>(task: Task<R>, options?: Omit<ExecuteOptions, "only">): Promise<R>;
  runTask<R = unknown>(name: string, options?: Omit<ExecuteOptions, "only">): Promise<R>;
  async runTask(nameOrTask: string | Task<unknown>, options: Omit<ExecuteOptions, "only"> = {}): Promise<unknown> {
    const task = this.getTask(typeof nameOrTask === "string" ? nameOrTask : nameOrTask.name);
    const summary = await this.execute({ ...options, only: task.name });
    const record = summary.tasks.find((r) => r.name === task.name)!;
    const outcome = outcomeOf(task);
    if (record.state === "failed" || record.state === "upstream-failed") throw new TaskFailedError(task.name, record.state, outcome.error);
    if (record.state === "cancelled") throw new AbortedError(task.name);
    if (record.state === "executed" && outcome.hasValue) return outcome.value;
    return this.getResult(task);
  }

  /** The summary of the last `execute()`, if any. */
  get lastRun(): RunSummary | undefined {
    return this.#lastRun;
  }

  /**
   * Whether the last run got through every task: none failed, it was not interrupted, and
   * each task was executed, cached, or skipped by request — the seed's meaning ("every task
   * executed or skipped"). False before the first run. A run limited with `only` counts only
   * the tasks it included.
   */
  get isComplete(): boolean {
    const run = this.#lastRun;
    return !!run && run.ok && run.totals.executed + run.totals.cached + run.totals.skipped === run.totals.total;
  }

  /** The folder task log files go to, when the logger writes files (`@lp/logging` does). */
  get logDir(): string | undefined {
    return this.#logger.logDir?.(this.name);
  }

  /**
   * A task's logged lines from this and earlier runs, oldest first, as the logger wrote them
   * to its files; `undefined` when the logger keeps no files (`@lp/logging` does).
   * @throws UnknownTaskError for a name the pipeline does not have
   * @example console.log(pipeline.taskLog("Sum")?.join("\n"))
   */
  taskLog(nameOrTask: string | Task<unknown>): string[] | undefined {
    const name = this.getTask(typeof nameOrTask === "string" ? nameOrTask : nameOrTask?.name).name;
    return this.#logger.taskLog?.(name, this.name);
  }

  /** Tasks that failed in the last run, with their errors. */
  get failures(): { task: string; error: NonNullable<RunSummary["tasks"][number]["error"]> }[] {
    return (this.#lastRun?.tasks ?? [])
      .filter((t) => (t.state === "failed" || t.state === "upstream-failed") && t.error)
      .map((t) => ({ task: t.name, error: t.error! }));
  }

  #names(option: string, names: readonly string[] | undefined): Set<string> {
    if (names !== undefined && !Array.isArray(names)) throw new InvalidOptionError("execute()", option, "an array of task names", names);
    for (const n of names ?? []) this.getTask(n);
    return new Set(names ?? []);
  }

  /** The tasks `only` selects: the task and, with dependencies, everything upstream of it; `undefined` for all. */
  #select(only: string | undefined, withDependencies: boolean): Set<string> | undefined {
    if (only === undefined) return undefined;
    const picked = new Set<string>();
    const queue = [this.getTask(only).name];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (picked.has(name)) continue;
      picked.add(name);
      if (withDependencies) queue.push(...this.getTask(name).dependencies);
    }
    return picked;
  }

  /**
   * Runs the pipeline. Never throws for a task's own error: failures are in the summary.
   * While it runs, an error escaping a task's code (thrown in a timer, a rejection nobody
   * handles) or a task's `process.exit()` cannot end the process: the task fails (or the
   * summary lists the error under `escaped`), the run ends with its summary, and
   * `process.exitCode` becomes 1, as the error would have made it. Outside a run Node's own
   * handling applies.
   * While `lp` loads the pipeline's file it runs nothing and resolves with every task
   * `cancelled` and `interrupted: true` (guard a top-level run with `isMainModule`).
   * @throws PipelineValidationError before anything runs, when the pipeline is not valid
   * @throws UnknownTaskError for an unknown name in `only`, `forceTasks` or `skipTasks`
   * @throws PipelineBusyError when this pipeline is already executing
   * @throws InvalidOptionError for an executor this pipeline cannot make
   *
   * Inside a worker that imports the pipeline's modules to load its tasks, `execute()`
   * never settles: a file that defines a pipeline and runs it at top level is loaded
   * there for its tasks, and must not run the pipeline a second time.
   */
  async execute(options: ExecuteOptions = {}): Promise<RunSummary> {
    const hooks = workerHooks();
    if (hooks) {
      hooks.executeCalled(this);
      return new Promise<never>(() => {});
    }
    if (this.#busy) {
      throw new PipelineBusyError(this.name);
    }
    // The HTML report is drawn by @lp/viz; the engine draws nothing, and says so rather than ignore it.
    const report = (options as { report?: unknown }).report;
    if (report !== undefined) {
      const expected = "left out (@lp/core draws nothing): use the Pipeline of little-pipelines, or writeReport() from @lp/viz";
      throw new InvalidOptionError("execute()", "report", expected, report);
    }
    checkOptionKeys(`Pipeline "${this.name}".execute()`, options, EXECUTE_OPTIONS);
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new InvalidOptionError(`Pipeline "${this.name}".execute()`, "signal", "an AbortSignal (from an AbortController)", options.signal);
    }
    const order = this.tasks;
    if (executeIsOff(this.name)) return this.#notRun(order);
    const selected = this.#select(options.only, options.withDependencies ?? true);
    const forced = options.force ? new Set(this.#tasks.keys()) : this.#names("forceTasks", options.forceTasks);
    // A task both skipped and forced by name runs: force wins, as in the seed.
    const forcedByName = this.#names("forceTasks", options.forceTasks);
    const skipped = new Set([...this.#names("skipTasks", options.skipTasks)].filter((n) => !forcedByName.has(n)));
    const chosen = resolveExecutor(`Pipeline "${this.name}"`, options.executor ?? this.#options.executor, this.#options.executors);
    const concurrency = Math.min(checkConcurrency("execute()", options.concurrency ?? this.#concurrency), chosen.executor.capacity ?? Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    // Every running task listens on the run's signal: many at once is expected.
    setMaxListeners(0, controller.signal);
    const onSignal = () => controller.abort();
    options.signal?.addEventListener("abort", onSignal, { once: true });
    if (options.signal?.aborted) controller.abort();
    let interruptedByCtrlC = false;
    const release = (options.handleSigint ?? true)
      ? onCtrlC(() => {
          interruptedByCtrlC = true;
          controller.abort();
        })
      : undefined;
    this.#busy = true;
    try {
      const run = new Run({
        pipeline: this,
        order,
        selected,
        forced,
        skipped,
        concurrency,
        store: this.store,
        logger: this.#logger,
        cwd: this.cwd,
        now: () => this.now(),
        signal: controller.signal,
        expireResultsIfNone: this.#options.expireResultsIfNone ?? true,
        verify: options.verify === true,
        executor: chosen.executor,
      });
      this.#activeRun = run;
      const summary = await run.execute();
      this.#lastRun = summary;
      if (interruptedByCtrlC) process.exitCode = 130;
      // Contained, an escaped error or exit() no longer ends the process with code 1 by itself: the script still must.
      else if (containedSomething(summary)) process.exitCode ||= 1;
      return summary;
    } finally {
      options.signal?.removeEventListener("abort", onSignal);
      release?.();
      this.#busy = false;
      this.#activeRun = undefined;
      // An executor this run made (threads, say) is released with it; one passed in belongs to the caller.
      if (chosen.owned) await chosen.executor.close?.();
    }
  }

  /** What `execute()` returns while a file is loaded without running (`lp status`): nothing ran. */
  #notRun(order: readonly Task<unknown>[]): RunSummary {
    const now = this.now();
    const tasks = order.map((t) => ({ name: t.name, state: "cancelled" as const, durationMs: 0, attempts: 0, processes: [] }));
    const totals = { total: tasks.length, executed: 0, cached: 0, skipped: 0, failed: 0, upstreamFailed: 0, cancelled: tasks.length };
    return { pipeline: this.name, runId: "not-run", startedAt: now, finishedAt: now, durationMs: 0, ok: false, interrupted: true, tasks, totals, criticalPath: [] };
  }

  /**
   * For every task, whether `execute()` would run it and why, without running anything
   * or reading any result body.
   */
  async status(options: Pick<ExecuteOptions, "force" | "forceTasks"> = {}): Promise<TaskStatus[]> {
    const forced = options.force ? new Set(this.#tasks.keys()) : this.#names("forceTasks", options.forceTasks);
    return planStatus(this, this.tasks, forced);
  }

  /** One task's status as a sentence, e.g. `Sum: will run (upstream TaskThree changed)`. */
  async explain(name: string): Promise<string> {
    this.getTask(name);
    const status = (await this.status()).find((s) => s.task === name)!;
    return `${name}: ${status.decision.run ? "will run" : "will not run"} (${status.decision.text})`;
  }

  /** `Pipeline(Example1, 4 tasks)`. */
  toString(): string {
    return `Pipeline(${this.name}, ${this.ntasks} task${this.ntasks === 1 ? "" : "s"})`;
  }

  /** Releases the store (flushing what it buffers). */
  async close(): Promise<void> {
    await this.#store?.close?.();
  }
}

export type { TaskStatus };
