import type { ExpiryPolicy } from "../contracts/expiry.js";
import type { TaskLogger } from "../contracts/logger.js";
import type { Serializer } from "../contracts/serializer.js";
import type { FileMap, MapOver } from "../map/source.js";
import type { Pipeline } from "../pipeline.js";
import type { Task } from "./task.js";

/** Any function that can be registered as a process. */
// biome-ignore lint/suspicious/noExplicitAny: processes take whatever their author declares
export type AnyProcess = (...args: any[]) => unknown;

/** What a task's result type is, from the task. */
export type ResultOf<T> = T extends Task<infer R> ? R : never;

/**
 * The handle processes see as `this`: the task's own processes plus what a running
 * task needs (its logger, the abort signal, its dependencies' results).
 */
export interface TaskContext<R = unknown> {
  /** The task's name. */
  readonly name: string;
  /** The task definition. */
  readonly task: Task<R>;
  /** The pipeline running the task; `this.pipeline.getResult("Up")` reads any stored result. */
  readonly pipeline: Pipeline;
  /** The task's own logger, tagged with its name, with every level of the seed's (`success`, `critical`, `log(level, …)` …). */
  readonly logger: TaskLogger;
  /** Aborted when the run is stopped or the task times out: pass it to fetch, streams, child processes. */
  readonly signal: AbortSignal;
  /** 1 on the first try, 2 on the first retry … */
  readonly attempt: number;
  /**
   * A dependency's result, typed by the dependency's task.
   * @throws NotADependencyError when `dep` is not among this task's dependencies.
   * @example const rows = await this.result(extractTask);
   */
  result<T>(dep: Task<T>): Promise<T>;
  result<T = unknown>(dep: string): Promise<T>;
}

/** `this` in processes registered with `task.process(function name() { … })`: any process is callable. */
// biome-ignore lint/suspicious/noExplicitAny: seed-form processes are looked up by name at run time
export type SeedThis<R = unknown> = TaskContext<R> & { [process: string]: any };

/** Retry policy: how often to try again and how long to wait between tries. */
export interface RetryOptions {
  /** Extra attempts after the first. */
  count: number;
  /** Wait before the first retry, in ms. @default 100 */
  delayMs?: number;
  /** Multiplier applied to the wait after each retry. @default 2 */
  factor?: number;
  /** Upper bound for the wait, in ms. @default 30000 */
  maxDelayMs?: number;
}

/** Options shared by `new Task()` and `task()`. */
export interface TaskOptions {
  /** Tasks that must finish first: names or Task objects. @default [] */
  // biome-ignore lint/suspicious/noExplicitAny: a dependency may produce any result type
  dependencies?: readonly (string | Task<any>)[];
  /** When results stop being fresh. @default never() — kept until a fingerprint change */
  expire?: ExpiryPolicy;
  /** What to do when an upstream task failed: fail with a DependencyFailure, or skip. @default "fail" */
  ifUpstreamErrors?: "fail" | "skip";
  /** Paths or globs (relative to the pipeline's `cwd`) whose contents invalidate the result. */
  inputFiles?: readonly string[];
  /** Hash the input files' contents; false for API or database inputs. @default true */
  hashInputs?: boolean;
  /** Retries on failure, with exponential backoff. @default 0 */
  retries?: number | RetryOptions;
  /** Time limit per attempt in ms; the task's signal is aborted when it passes. */
  timeout?: number;
  /** How the result is stored. @default msgpackSerializer */
  serializer?: Serializer;
  /** One line about what the task does, shown by the shell's `info`. */
  description?: string;
  /** A salt: change it to invalidate stored results by hand. */
  version?: string | number;
  /**
   * What counts as the task's code. `"module"`: its process functions plus the top-level
   * bindings they use, followed through the module that defined the task and its
   * project-local imports (packages count by name and version); comments, formatting and the
   * task's other options do not count. `"processes"`: the process functions' own source
   * only. `false`: nothing.
   * @default "module"
   */
  codeHash?: "module" | "processes" | false;
  /**
   * Where attempts run: wherever the pipeline's executor puts them (`"any"`), or always on
   * the main thread (`"main"`) — for a task that holds an open database handle or a client
   * that cannot move to another thread.
   * @default "any"
   */
  runIn?: "any" | "main";
  /**
   * Runs the task once per element of an upstream task's result (a Task or its name; it
   * becomes a dependency) or once per file matching `inputFiles("glob")`. Inside `run`,
   * `this.item` is the element (a file's absolute path) and `this.index` its position; the
   * task's result is the array of the branch results, in order. Each branch is cached on
   * its own: adding an element runs one branch, reordering runs none.
   */
  map?: MapOver;
  /**
   * For a mapped task, what a failed branch does: `"fail"` fails the task (the branches
   * that succeeded stay stored); `"skip"` leaves the failed items out of the result and
   * reports them, and the next run tries them again.
   * @default "fail"
   */
  onBranchError?: "fail" | "skip";
}

/** What a mapped task's processes see besides the task handle: the branch's element. */
export interface BranchContext<I = unknown> {
  /** This branch's element of the mapped upstream result, or the file's absolute path. */
  readonly item: I;
  /** The element's position in the upstream result (or in the sorted file list). */
  readonly index: number;
}

/** The element type a `map` option yields: a file path, an array's element, or unknown for a name. */
export type ItemOf<M> = M extends FileMap ? string : M extends Task<infer R> ? (R extends readonly (infer E)[] ? E : never) : unknown;

/** A map of process functions for a mapped task: `this.item` is typed from `map`. */
export type MappedProcesses<P, I> = P & ThisType<TaskContext & BranchContext<I> & P>;

/** A map of process functions whose `this` is typed: the typed way to declare a task. */
export type Processes<P> = P & ThisType<TaskContext & P>;

/** The awaited return type of a process map's `run`. */
export type RunResult<P> = P extends { run: (...args: never[]) => infer R } ? Awaited<R> : unknown;
