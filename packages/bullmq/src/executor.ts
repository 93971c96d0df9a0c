import { type AttemptRequest, type AttemptResult, type Executor, InvalidOptionError } from "@lp/core";
import { checkUrl } from "@lp/redis";
import { Coordination } from "./coordination.js";

/** Options of {@link bullmqExecutor}. */
export interface BullmqExecutorOptions {
  /** The Redis that workers listen on, e.g. `redis://queue-host:6379`. */
  url: string;
  /**
   * How many attempts may be queued or running at once. Set it to the workers' total
   * concurrency so that a task's `timeout` does not tick while its job waits in the queue.
   * @default unbounded (the run's `concurrency` still applies)
   */
  capacity?: number;
}

/**
 * Runs task attempts on workers on any number of machines: each ready attempt becomes a
 * BullMQ job on the pipeline's queue; a worker ({@link startWorker}, `lp worker`) runs it and
 * the coordinator learns the outcome through BullMQ's events. The scheduler — the DAG,
 * freshness, retries, timeouts, failure policy — stays in the coordinator. Use it with a
 * shared store (`redisStore`) so that every machine sees the same results.
 */
export class BullmqExecutor implements Executor {
  readonly name = "bullmq";
  readonly capacity?: number;
  readonly url: string;
  readonly #coordinations = new Map<string, Promise<Coordination>>();

  /** @throws InvalidOptionError for a bad option */
  constructor(options: BullmqExecutorOptions) {
    this.url = checkUrl("bullmqExecutor()", options?.url);
    if (options.capacity !== undefined) {
      if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new InvalidOptionError("bullmqExecutor()", "capacity", "a whole number from 1 up", options.capacity);
      this.capacity = options.capacity;
    }
  }

  /** One connection per pipeline, opened on its first attempt; a failed open is tried afresh next time. */
  #coordination(pipeline: string): Promise<Coordination> {
    let open = this.#coordinations.get(pipeline);
    if (!open) {
      open = Coordination.open(this.url, pipeline);
      this.#coordinations.set(pipeline, open);
      open.catch(() => this.#coordinations.delete(pipeline));
    }
    return open;
  }

  /**
   * Connects to Redis now, so that a wrong URL is reported before the run starts.
   * @throws RedisUnreachableError naming the URL
   */
  async connect(pipeline: string): Promise<void> {
    await this.#coordination(pipeline);
  }

  async run(request: AttemptRequest): Promise<AttemptResult> {
    const coordination = await this.#coordination(request.pipeline.name);
    return coordination.run(request);
  }

  /** Stops following events and closes the connections. */
  async close(): Promise<void> {
    const all = [...this.#coordinations.values()];
    this.#coordinations.clear();
    await Promise.allSettled(all.map(async (open) => (await open).close()));
  }
}

/**
 * A distributed executor: `pipeline.execute({ executor: bullmqExecutor({ url }) })`.
 * Pair it with `redisStore({ url })` (`pipeline.useStore(…)`) and start workers with
 * `lp worker pipeline.ts --redis <url>`. An executor you create is yours to `close()`.
 *
 * @param options - {@link BullmqExecutorOptions}
 * @throws InvalidOptionError for a bad option
 * @example
 * const executor = bullmqExecutor({ url: "redis://queue:6379" });
 * await pipeline.useStore(redisStore({ url: "redis://queue:6379" }));
 * try { await pipeline.execute({ executor }); } finally { await executor.close(); }
 */
export function bullmqExecutor(options: BullmqExecutorOptions): BullmqExecutor {
  return new BullmqExecutor(options);
}
