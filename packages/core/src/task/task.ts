import type { ExpiryPolicy } from "../contracts/expiry.js";
import type { TaskLogger } from "../contracts/logger.js";
import type { Serializer } from "../contracts/serializer.js";
import { InvalidOptionError, NotInPipelineError, ProcessNameError } from "../errors.js";
import { never } from "../expiry/basic.js";
import { captureCaller, definingFileOf } from "../fingerprint/call-site.js";
import { type CodeFingerprint, codeFingerprint, singleProcessFingerprint } from "../fingerprint/code-hash.js";
import { toTaskLogger } from "../logger/task-logger.js";
import type { Pipeline } from "../pipeline.js";
import { workerHooks } from "../executor/worker-hooks.js";
import { msgpackSerializer } from "../serializers/msgpack.js";
import { checkOptionKeys, checkTaskOwnName } from "./check-options.js";
import { type TaskOutcome, outcomeOf } from "./outcome.js";

/** Every option `new Task()` and `task()` take. */
const TASK_OPTIONS = [
  "dependencies",
  "expire",
  "ifUpstreamErrors",
  "inputFiles",
  "hashInputs",
  "retries",
  "timeout",
  "serializer",
  "description",
  "version",
  "codeHash",
  "runIn",
  "map",
  "onBranchError",
  "processes",
  "run",
] as const;
import { type MapOver, type MapSource, mapSourceOf } from "../map/source.js";
import type { AnyProcess, BranchContext, ItemOf, MappedProcesses, Processes, RetryOptions, RunResult, SeedThis, TaskContext, TaskOptions } from "./types.js";

/** Names that belong to the task handle and so cannot be process names. */
export const RESERVED_PROCESS_NAMES: ReadonlySet<string> = new Set(["name", "task", "pipeline", "logger", "signal", "attempt", "result", "item", "index"]);

const MAX_TIMER_MS = 2_147_483_647;

/** Set by `task()` for the constructor it calls: the frame the user's call site is right below. */
let constructingVia: typeof task | undefined;

/** Options of `new Task()`: the shared options plus processes given up front. */
export interface TaskInit<R = unknown> extends TaskOptions {
  /** Processes as an object of methods (`run` plus helpers). */
  processes?: Record<string, AnyProcess> & ThisType<SeedThis<R>>;
  /** Shorthand for a task with a single `run` process. */
  run?: (this: SeedThis<R>) => R | Promise<R>;
}

// Shared by every task that leaves the option out (most do): one object for ten thousand
// tasks instead of one each, which is most of what a task keeps. Frozen, as they are shared.
const NO_RETRIES: Readonly<Required<RetryOptions>> = Object.freeze({ count: 0, delayMs: 100, factor: 2, maxDelayMs: 30_000 });
const NEVER: ExpiryPolicy = Object.freeze(never());
const NONE: readonly string[] = Object.freeze([]);
const UNTRACKED: CodeFingerprint = Object.freeze({ digest: "", parts: Object.freeze({}), note: undefined });
/** The labelled fingerprint of each fingerprint that tasks share (see `codeFingerprint`). */
const labelledCodes = new WeakMap<CodeFingerprint, CodeFingerprint>();

/** The fingerprint with its digest labelled by how the code was followed; frozen, parts too. */
function labelled(code: CodeFingerprint, closure: boolean): CodeFingerprint {
  Object.freeze(code.parts);
  return Object.freeze({ ...code, digest: `${closure ? "closure" : "source"}:${code.digest}` });
}

/**
 * A task's processes by name, in registration order, as the task keeps them: for the
 * executor, which reads them at every attempt, without the copy {@link Task.processes} makes.
 */
export let processEntries: (task: Task<unknown>) => Iterable<readonly [string, AnyProcess]>;

function normalizeRetries(where: string, retries: TaskOptions["retries"]): Readonly<Required<RetryOptions>> {
  if (retries === undefined || retries === 0) return NO_RETRIES;
  const r = typeof retries === "number" || retries === undefined ? { count: retries ?? 0 } : retries;
  if (!Number.isInteger(r.count) || r.count < 0) throw new InvalidOptionError(where, "retries", "a whole number from 0 up", r.count);
  const out = { count: r.count, delayMs: r.delayMs ?? 100, factor: r.factor ?? 2, maxDelayMs: r.maxDelayMs ?? 30_000 };
  if (!(out.delayMs >= 0)) throw new InvalidOptionError(where, "retries.delayMs", "a number from 0 up", out.delayMs);
  if (!(out.factor >= 1)) throw new InvalidOptionError(where, "retries.factor", "a number from 1 up", out.factor);
  if (!(out.maxDelayMs >= 0 && out.maxDelayMs <= MAX_TIMER_MS)) {
    throw new InvalidOptionError(where, "retries.maxDelayMs", "a number of milliseconds from 0 to 2147483647", out.maxDelayMs);
  }
  return out;
}

/** Reads and records a task's outcome, for outcome.ts alone: the run records it without a public setter. */
export let taskOutcomes: {
  get(task: Task<unknown>): TaskOutcome | undefined;
  set(task: Task<unknown>, outcome: TaskOutcome): void;
};

/**
 * A named unit of work with dependencies, processes and a cached result.
 *
 * @example
 * const t = new Task("TaskTwo", { dependencies: ["TaskOne"] });
 * t.process(function extract() { return 1; });
 * t.process(async function run() { return this.extract() + 1; });
 */
export class Task<R = unknown> {
  /** Unique name within a pipeline; also the result's key in the store. */
  readonly name: string;
  /** Names of the tasks that must finish first. */
  readonly dependencies: readonly string[];
  readonly expire: ExpiryPolicy;
  readonly ifUpstreamErrors: "fail" | "skip";
  readonly inputFiles: readonly string[];
  readonly hashInputs: boolean;
  readonly retries: Readonly<Required<RetryOptions>>;
  readonly timeout: number | undefined;
  readonly serializer: Serializer;
  readonly description: string | undefined;
  readonly version: string | undefined;
  readonly codeHash: "module" | "processes" | false;
  /** Where attempts run: `"any"` (the pipeline's executor) or `"main"` (always this thread). */
  readonly runIn: "any" | "main";
  /** What the task is mapped over (one branch per element or file), or `undefined`. */
  readonly map: MapSource | undefined;
  /** For a mapped task: fail on a failed branch, or skip its item. */
  readonly onBranchError: "fail" | "skip";
  /**
   * Absolute path of the module that created the task: the innermost caller outside
   * little-pipelines, the same whichever script or runner loaded it. `undefined` in a REPL.
   */
  readonly definedIn: string | undefined;
  // Most tasks have one process: it is kept as itself, and a Map only once there are two
  // (a Map is ~180 bytes, as much as the rest of the task).
  #process: AnyProcess | Map<string, AnyProcess> | undefined;
  #processName: string | undefined;
  #code: CodeFingerprint | undefined;
  #pipeline: Pipeline | undefined;
  /**
   * What the task last did in this process (see outcome.ts). A field rather than an entry of
   * a WeakMap beside the tasks: a run records one for every task.
   */
  #outcome: TaskOutcome | undefined;
  static {
    taskOutcomes = { get: (task) => task.#outcome, set: (task, outcome) => void (task.#outcome = outcome) };
  }
  // Phantom member so that Task<number> and Task<string> are distinct types.
  declare readonly __result?: R;

  /**
   * @param name - unique within its pipeline
   * @throws InvalidOptionError for a bad name or option, naming the task and the option
   */
  constructor(name: string, options: TaskInit<R> = {}) {
    // The user's frame is right below `task()` when it made this task, else right below this constructor.
    const via = constructingVia ?? Task;
    constructingVia = undefined;
    // First thing, before this frame fills: capturing the caller decodes every frame above it.
    const caller = captureCaller(via);
    checkTaskOwnName("new Task()", name);
    const where = `Task "${name}"`;
    checkOptionKeys(where, options, TASK_OPTIONS);
    this.name = name;
    if (options.dependencies !== undefined && !Array.isArray(options.dependencies)) {
      throw new InvalidOptionError(where, "dependencies", "an array of task names or Tasks (e.g. [\"A\"])", options.dependencies);
    }
    const deps = (options.dependencies ?? NONE).map((d, i) => {
      if (d instanceof Task) return d.name;
      if (typeof d === "string" && d !== "") return d;
      throw new InvalidOptionError(where, `dependencies[${i}]`, "a task name or a Task", d);
    });
    this.map = mapSourceOf(where, options.map);
    // The mapped upstream is a dependency whether or not it is listed.
    if (this.map?.kind === "task") deps.push(this.map.task);
    this.dependencies = deps.length === 0 ? NONE : deps.length === 1 ? deps : [...new Set(deps)];
    const obe = options.onBranchError ?? "fail";
    if (obe !== "fail" && obe !== "skip") throw new InvalidOptionError(where, "onBranchError", '"fail" or "skip"', obe);
    this.onBranchError = obe;
    const expire = options.expire ?? NEVER;
    if (typeof expire?.expiresAt !== "function") {
      throw new InvalidOptionError(where, "expire", "an expiry policy such as never() or onComplete()", options.expire);
    }
    this.expire = expire;
    const iue = options.ifUpstreamErrors ?? "fail";
    if (iue !== "fail" && iue !== "skip") throw new InvalidOptionError(where, "ifUpstreamErrors", '"fail" or "skip"', iue);
    this.ifUpstreamErrors = iue;
    const inputs = options.inputFiles ?? NONE;
    if (!Array.isArray(inputs) || inputs.some((f) => typeof f !== "string" || f === "")) {
      throw new InvalidOptionError(where, "inputFiles", "an array of paths or globs", inputs);
    }
    // Mapped files are input files too: the task as a whole is fresh only while they are unchanged.
    const patterns = this.map?.kind === "files" ? this.map.patterns : NONE;
    this.inputFiles = inputs.length + patterns.length === 0 ? NONE : [...new Set([...inputs, ...patterns])];
    this.hashInputs = options.hashInputs ?? true;
    if (this.map?.kind === "files" && !this.hashInputs) {
      throw new InvalidOptionError(where, "hashInputs", "true (the default) for a task mapped over files: its branches are keyed by the files' contents", false);
    }
    this.retries = normalizeRetries(where, options.retries);
    // Node's timers cannot wait longer than 2^31-1 ms; a longer one would fire at once.
    if (options.timeout !== undefined && !(options.timeout > 0 && options.timeout <= MAX_TIMER_MS)) {
      throw new InvalidOptionError(where, "timeout", "a number of milliseconds from 1 to 2147483647 (about 24.8 days)", options.timeout);
    }
    this.timeout = options.timeout;
    const serializer = options.serializer ?? msgpackSerializer;
    if (typeof serializer?.serialize !== "function" || typeof serializer.deserialize !== "function" || typeof serializer.name !== "string") {
      throw new InvalidOptionError(where, "serializer", "a serializer: { name, serialize(value), deserialize(bytes) }", options.serializer);
    }
    this.serializer = serializer;
    this.description = options.description;
    this.version = options.version === undefined ? undefined : String(options.version);
    this.codeHash = options.codeHash ?? "module";
    const runIn = options.runIn ?? "any";
    if (runIn !== "any" && runIn !== "main") throw new InvalidOptionError(where, "runIn", '"any" or "main"', runIn);
    this.runIn = runIn;
    this.definedIn = definingFileOf(caller);
    for (const [key, fn] of Object.entries(options.processes ?? {})) this.process(key, fn);
    if (options.run) this.process("run", options.run);
    // Inside a worker, the executor finds the tasks a module defines here.
    workerHooks()?.taskCreated(this);
  }

  /**
   * Registers a process. The function's name is the process name; inside it, `this` is
   * the task handle, so `this.extract()` calls the process named `extract`. Every call is
   * timed. Returns the function, so it can be kept for direct use.
   * @throws ProcessNameError when the function has no name, or the name is taken or reserved
   */
  // biome-ignore lint/suspicious/noExplicitAny: processes take whatever their author declares
  process<F extends (this: SeedThis<R>, ...args: any[]) => unknown>(fn: F): F;
  // biome-ignore lint/suspicious/noExplicitAny: processes take whatever their author declares
  process<F extends (this: SeedThis<R>, ...args: any[]) => unknown>(name: string, fn: F): F;
  process(nameOrFn: string | AnyProcess, maybeFn?: AnyProcess): AnyProcess {
    const fn = typeof nameOrFn === "function" ? nameOrFn : maybeFn;
    const name = typeof nameOrFn === "string" ? nameOrFn : nameOrFn?.name;
    const where = `Task "${this.name}"`;
    if (typeof fn !== "function") throw new InvalidOptionError(where, "process", "a function", fn);
    if (!name) {
      throw new ProcessNameError(this.name, `${where}: a process needs a name. Use a named function (function extract() { … }) or task.process("extract", fn).`);
    }
    if (RESERVED_PROCESS_NAMES.has(name)) {
      throw new ProcessNameError(this.name, `${where}: "${name}" cannot be a process name, it is part of the task handle. Rename the process.`);
    }
    if (this.#has(name)) {
      throw new ProcessNameError(this.name, `${where} already has a process named "${name}". Give each process its own name.`);
    }
    const first = this.#process;
    if (first === undefined) {
      this.#process = fn;
      this.#processName = name;
    } else if (first instanceof Map) first.set(name, fn);
    else this.#process = new Map([[this.#processName!, first], [name, fn]]);
    this.#code = undefined;
    return fn;
  }

  /**
   * The registered processes by name, in registration order. A copy, made at each access:
   * changing it does not change the task (register with {@link process}).
   */
  get processes(): ReadonlyMap<string, AnyProcess> {
    const p = this.#process;
    if (p instanceof Map) return new Map(p);
    return p === undefined ? new Map() : new Map([[this.#processName!, p]]);
  }

  /** The processes as kept, without a copy: only for reading (see {@link processEntries}). */
  #entries(): ReadonlyMap<string, AnyProcess> | readonly (readonly [string, AnyProcess])[] {
    const p = this.#process;
    if (p instanceof Map) return p;
    return p === undefined ? [] : [[this.#processName!, p]];
  }

  static {
    // A task made by another copy of this module (a worker may load both builds) has its own
    // fields: it is read through its public copy.
    processEntries = (task) => (#entries in task ? task.#entries() : (task as Task<unknown>).processes);
  }

  #has(name: string): boolean {
    const p = this.#process;
    return p instanceof Map ? p.has(name) : p !== undefined && this.#processName === name;
  }

  /** Whether a `run` process is registered; a pipeline will not validate without one. */
  get hasRun(): boolean {
    return this.#has("run");
  }

  /** Digest of the task's code as chosen by `codeHash`; "" when code is not tracked. */
  codeDigest(): string {
    return this.codeFingerprint().digest;
  }

  /**
   * The task's code fingerprint: its digest, the parts behind it (`function \`run\` in
   * pipeline.ts`, `helper \`parseRow\` in lib/rows.ts`, `package \`csv-parse\`` → digest or
   * version), and a note when part of the code could only be counted by its own source.
   * Computed once: the code that runs is the code that was loaded. Frozen, and possibly
   * shared with other tasks of the same code: copy it to change it.
   */
  codeFingerprint(): CodeFingerprint {
    this.#code ??= this.#computeCode();
    return this.#code;
  }

  #computeCode(): CodeFingerprint {
    if (this.codeHash === false) return UNTRACKED;
    const closure = this.codeHash === "module";
    const p = this.#process;
    const code =
      closure && p !== undefined && !(p instanceof Map)
        ? singleProcessFingerprint(this.definedIn, this.#processName!, p)
        : codeFingerprint(this.definedIn, p instanceof Map ? p : this.processes, closure);
    // A task's own (with several processes, or `codeHash: "processes"`): frozen too, so that
    // every task's fingerprint behaves the same whether or not it is shared.
    if (!Object.isFrozen(code)) return labelled(code, closure);
    // Shared by the tasks of one loop: so is its labelled copy.
    let shared = labelledCodes.get(code);
    if (!shared) labelledCodes.set(code, (shared = labelled(code, closure)));
    return shared;
  }

  /**
   * The pipeline the task was last added to (as the seed's `task.pipeline`).
   * @throws NotInPipelineError before the task is added to one
   */
  get pipeline(): Pipeline {
    if (!this.#pipeline) {
      throw new NotInPipelineError(this.name);
    }
    return this.#pipeline;
  }

  /** Called by `Pipeline.add()`: a task belongs to the pipeline it was last added to. */
  attachTo(pipeline: Pipeline): void {
    this.#pipeline = pipeline;
  }

  /** Whether the task's processes ran and its result was stored in the last run that included it (in this process). */
  get isExecuted(): boolean {
    return outcomeOf(this).state === "executed";
  }

  /**
   * Whether the last run that included the task (in this process) did not run it: a fresh
   * cached result was used, it was skipped by request, or it was skipped after an upstream failure.
   */
  get isSkipped(): boolean {
    const state = outcomeOf(this).state;
    return state === "cached" || state === "skipped";
  }

  /**
   * The last result this process produced or read for the task (by running it, by
   * `getResult`, or by a dependent reading it), or `undefined` when there is none yet.
   * It is the value itself, not a copy; `await pipeline.getResult(task)` gives a fresh copy.
   * Results over 8 MiB serialized are not held (memory should follow the results in use):
   * for those it is `undefined`, and `getResult` reads them.
   */
  get result(): R | undefined {
    return outcomeOf(this).value as R | undefined;
  }

  /**
   * The task's logger outside a run, with the seed's levels (`this.logger` inside processes).
   * @throws NotInPipelineError before the task is added to a pipeline
   */
  get logger(): TaskLogger {
    const pipeline = this.pipeline;
    return toTaskLogger(pipeline.logger.forTask(this.name, pipeline.name), `Task "${this.name}"`);
  }

  /**
   * Runs this task (and what it needs upstream) in its pipeline, using and storing results
   * as `execute()` does; the seed's `task.run()`. Same as `pipeline.runTask(task)`.
   * @returns the task's result
   * @throws the errors of {@link Pipeline.runTask}
   * @example for (const t of pipeline.tasks) await t.run();
   */
  run(options?: Parameters<Pipeline["runTask"]>[1]): Promise<R> {
    return this.pipeline.runTask(this, options);
  }

  toString(): string {
    return `Task(${this.name})`;
  }
}

/** Makes a process map without `run` a compile-time error ("Property 'run' is missing"). */
type RequireRun<P> = "run" extends keyof P ? unknown : { run: AnyProcess };

/**
 * Declares a task with typed processes: inside them `this.extract()` and its return type
 * are known to the compiler, and the task's result type is `run`'s. Processes without
 * `run` do not compile, mapped or not; the one shape the compiler cannot catch, an empty
 * `processes: {}` beside `map`, is refused by `validate()` (`LP_MISSING_RUN`, naming the task).
 *
 * @example
 * const two = task("TaskTwo", {
 *   processes: {
 *     extract() { return 1; },
 *     transform(n: number) { return n + 1; },
 *     run() { return this.transform(this.extract()); },
 *   },
 * }); // Task<number>
 */
export function task<M extends MapOver, P extends object>(
  name: string,
  options: TaskOptions & { map: M; processes: MappedProcesses<P, ItemOf<M>> },
  // Makes mapped processes without `run` a compile-time error (no overload matches: "Property
  // 'run' is missing"). A check inside the options, as RequireRun, would stop `this.item` and
  // the other processes being inferred; this parameter is checked once they are. It lets pass
  // processes with no keys (`processes: {}`), which validate() refuses with LP_MISSING_RUN.
  ...runRequired: keyof P extends never ? [] : "run" extends keyof P ? [] : [addRunToTheMappedProcesses: never]
): Task<RunResult<P>[]>;
export function task<M extends MapOver, F extends (this: TaskContext & BranchContext<ItemOf<M>>) => unknown>(
  name: string,
  options: TaskOptions & { map: M; run: F },
): Task<Awaited<ReturnType<F>>[]>;
export function task<P extends object>(name: string, options: TaskOptions & { processes: Processes<P> & RequireRun<P> }): Task<RunResult<P>>;
export function task<F extends (this: TaskContext) => unknown>(name: string, options: TaskOptions & { run: F }): Task<Awaited<ReturnType<F>>>;
export function task(name: string, options: TaskInit): Task {
  constructingVia = task;
  try {
    return new Task(name, options);
  } finally {
    constructingVia = undefined;
  }
}
