import { availableParallelism } from "node:os";
import type { ResourceLimits } from "node:worker_threads";
import { type AttemptRequest, type AttemptResult, type Executor, InvalidOptionError, inProcessExecutor } from "@lp/core";
import type { Piscina } from "piscina";
import { runOnThread } from "./run-on-thread.js";

/** Options of {@link threadsExecutor}. */
export interface ThreadsOptions {
  /**
   * How many worker threads, and so how many tasks run at once.
   * @default os.availableParallelism() — one per core
   */
  threads?: number;
  /** Memory limits per thread; a thread that exceeds them fails its attempt, and is replaced. */
  resourceLimits?: ResourceLimits;
}

const WORKER_FILE = new URL("./worker.js", import.meta.url);

/**
 * Runs task attempts on a pool of worker threads, so that CPU-bound tasks use every core.
 * The scheduler stays on the main thread; each attempt loads its task from the module
 * that defines it, runs there and hands the result back as bytes. See {@link threadsExecutor}.
 */
export class ThreadsExecutor implements Executor {
  readonly name = "threads";
  readonly capacity: number;
  readonly #resourceLimits: ResourceLimits | undefined;
  #pool: Promise<Piscina> | undefined;
  #warned = new Set<string>();

  /** @throws InvalidOptionError for a bad `threads` */
  constructor(options: ThreadsOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new InvalidOptionError("threadsExecutor()", "threads", "a whole number from 1 up", threads);
    this.capacity = threads;
    this.#resourceLimits = options.resourceLimits;
  }

  /**
   * Threads start on first use, so a run where everything is cached starts none; piscina
   * itself is loaded then too, so importing the package costs a run that never uses threads nothing.
   */
  #threads(): Promise<Piscina> {
    this.#pool ??= import("piscina").then(({ Piscina }) => new Piscina({
      filename: WORKER_FILE.href,
      minThreads: this.capacity,
      maxThreads: this.capacity,
      concurrentTasksPerWorker: 1,
      // Idle threads wait on their event loop, not in Atomics.wait, so their ports stay live.
      atomics: "disabled",
      idleTimeout: 60_000,
      ...(this.#resourceLimits ? { resourceLimits: this.#resourceLimits } : {}),
    }));
    return this.#pool;
  }

  run(request: AttemptRequest): Promise<AttemptResult> {
    const { task } = request;
    if (request.identity.module === undefined) {
      // No module to load it from (a task built in a REPL or eval).
      if (!this.#warned.has(task.name)) {
        this.#warned.add(task.name);
        request.logger.warn(`Runs on the main thread: its defining module is not known, so a worker thread cannot load it.`);
      }
      return inProcessExecutor.run(request);
    }
    return this.#threads().then((pool) => runOnThread(pool, request));
  }

  /** Terminates the threads. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    // A pool that never started (piscina failed to load) has nothing to terminate.
    await (await pool?.catch(() => undefined))?.destroy();
  }
}

/**
 * A worker-thread executor: `new Pipeline(name, { executor: threadsExecutor({ threads: 4 }) })`.
 * Tasks must be created when their module is imported (the usual top-level `new Task(…)` /
 * `task(…)`); a file that also calls `pipeline.execute()` at top level is fine. Tasks with
 * `runIn: "main"` stay on the main thread. An executor passed in is yours to `close()`.
 *
 * @param options - {@link ThreadsOptions}
 * @throws InvalidOptionError for a bad option
 * @example
 * const executor = threadsExecutor();
 * try { await pipeline.execute({ executor }); } finally { await executor.close(); }
 */
export function threadsExecutor(options: ThreadsOptions = {}): ThreadsExecutor {
  return new ThreadsExecutor(options);
}
