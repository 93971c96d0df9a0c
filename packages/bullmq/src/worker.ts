import { hostname } from "node:os";
import { deserialize } from "node:v8";
import {
  type AttemptRequest,
  type Executor,
  InvalidOptionError,
  NoResultError,
  type Pipeline,
  type ResultBytes,
  inProcessExecutor,
} from "@lp/core";
import { errorFromWire, errorToWire } from "@lp/core/internal";
import { RedisStore, checkUrl, connect } from "@lp/redis";
import { WorkerLoadError, threadsExecutor } from "@lp/threads";
import { type Job, Worker } from "bullmq";
import { VersionSkewError } from "./errors.js";
import { NewsChannel } from "./news.js";
import { type AttemptJob, type AttemptReply, LEFTOVER_TTL_MS, PipelineKeys, QUEUE_PREFIX } from "./protocol.js";

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** The coordinator's Redis, e.g. `redis://queue-host:6379`. */
  url: string;
  /**
   * How many attempts this worker runs at once.
   * @default 1, or `threads` when given
   */
  concurrency?: number;
  /**
   * Runs attempts on this many worker threads (`true`: one per core) instead of the
   * worker's main thread: a worker process then uses every core, and a CPU-bound task
   * never blocks the lock renewals that tell BullMQ the worker is alive.
   * @default none — attempts run on the worker's main thread
   */
  threads?: number | true;
  /** The name recorded in the run summary for attempts this worker ran. @default `<hostname>:<pid>` */
  name?: string;
  /**
   * How long a job stays locked to this worker without a renewal; a worker silent for
   * longer (killed, frozen) is taken for dead and its job given to another worker.
   * @default 30000
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs of dead workers. @default 30000 */
  stalledIntervalMs?: number;
  /** How many times one attempt may be handed to another worker after its worker died, before it fails (and the task's `retries` apply). @default 1 */
  maxStalledCount?: number;
  /** Hears of each attempt this worker starts and finishes (for a worker's own output). */
  onAttempt?: (event: WorkerAttemptEvent) => void;
}

/** An attempt a worker started or finished. */
export interface WorkerAttemptEvent {
  type: "start" | "done" | "failed" | "refused" | "skipped";
  task: string;
  attempt: number;
  /** For `failed` and `refused`: the error. */
  error?: Error;
}

/** A running worker. */
export interface RunningWorker {
  /** The name recorded for attempts it runs. */
  readonly name: string;
  /** Stops taking jobs, waits for running ones, and disconnects. */
  close(): Promise<void>;
}

function checkCount(option: string, value: unknown, from = 1): void {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < from)) {
    throw new InvalidOptionError("startWorker()", option, `a whole number from ${from} up`, value);
  }
}

/**
 * Starts a worker for a pipeline: it takes the pipeline's jobs from Redis, runs each
 * attempt with the task of the same name from this process's copy of the pipeline, and
 * hands the result back. A task whose code fingerprint differs from the coordinator's is
 * refused ({@link VersionSkewError}). Any number of workers, on any machines that have the
 * project's code, may serve one pipeline.
 *
 * @param pipeline - the pipeline, as loaded from the same project as the coordinator's
 * @param options - {@link WorkerOptions}
 * @throws InvalidOptionError for a bad option
 * @throws RedisUnreachableError naming the URL
 * @example
 * const worker = await startWorker(pipeline, { url: "redis://queue:6379", threads: true });
 * process.once("SIGTERM", () => worker.close());
 */
export async function startWorker(pipeline: Pipeline, options: WorkerOptions): Promise<RunningWorker> {
  const url = checkUrl("startWorker()", options?.url);
  checkCount("concurrency", options.concurrency);
  if (options.threads !== true) checkCount("threads", options.threads);
  checkCount("lockDurationMs", options.lockDurationMs);
  checkCount("stalledIntervalMs", options.stalledIntervalMs);
  checkCount("maxStalledCount", options.maxStalledCount, 0);

  const redis = await connect(url);
  const keys = new PipelineKeys(pipeline.name);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const executor: Executor = options.threads === undefined ? inProcessExecutor : threadsExecutor(options.threads === true ? {} : { threads: options.threads });
  const concurrency = options.concurrency ?? (typeof executor.capacity === "number" && options.threads !== undefined ? executor.capacity : 1);
  const store = new RedisStore({ url, prefix: keys.store });
  const aborts = new Map<string, AbortController>();

  // Coordinators announce aborted jobs on a channel; the worker running one aborts it.
  const subscriber = redis.duplicate();
  subscriber.on("error", () => {});
  await subscriber.subscribe(keys.abort);
  subscriber.on("message", (_channel: string, message: string) => {
    try {
      const { jobId, reason } = JSON.parse(message) as { jobId: string; reason: Parameters<typeof errorFromWire>[0] };
      aborts.get(jobId)?.abort(errorFromWire(reason));
    } catch {
      // Not one of ours.
    }
  });

  const readResult = async (jobId: string, task: string): Promise<ResultBytes> => {
    const [body, serializer, error] = await redis.hmgetBuffer(keys.inputs(jobId), `b:${task}`, `s:${task}`, `e:${task}`);
    if (error) throw errorFromWire(JSON.parse(error.toString()));
    if (body && serializer) return { body: new Uint8Array(body), serializer: serializer.toString() };
    // Not a dependency (`this.pipeline.getResult()` of another task): the shared store has it, if anyone has.
    if (!pipeline.hasTask(task)) pipeline.getTask(task);
    const stored = await store.get(task);
    if (!stored) throw new NoResultError(pipeline.name, task);
    return { body: stored.body, serializer: stored.meta.serializer };
  };

  const runJob = async (job: Job<AttemptJob>): Promise<AttemptReply> => {
    const { identity, coordinator } = job.data;
    const jobId = job.id!;
    const report = (type: WorkerAttemptEvent["type"], error?: Error) => options.onAttempt?.({ type, task: identity.task, attempt: identity.attempt, ...(error ? { error } : {}) });
    if ((await redis.exists(keys.coordinator(coordinator))) === 0) {
      report("skipped");
      return { ok: false, orphaned: true, ranOn: name };
    }
    const news = new NewsChannel(job);
    const controller = new AbortController();
    aborts.set(jobId, controller);
    report("start");
    try {
      if (!pipeline.hasTask(identity.task)) {
        throw new WorkerLoadError(identity.task, `worker ${name}'s pipeline "${pipeline.name}" has no task of that name. Deploy the same code to the coordinator and every worker.`);
      }
      const task = pipeline.getTask(identity.task);
      const mine = task.codeDigest();
      if (mine !== identity.codeDigest) throw new VersionSkewError(identity.task, name, identity.codeDigest, mine);
      const request: AttemptRequest = {
        // This machine's path to the task's module, for a thread to load it from.
        identity: {
          ...identity,
          module: task.definedIn,
          ...(job.data.branch ? { branch: { index: job.data.branch.index, item: deserialize(Buffer.from(job.data.branch.item, "base64")) } } : {}),
        },
        task,
        pipeline,
        signal: controller.signal,
        logger: news.logger(identity.task),
        readResult: (other) => readResult(jobId, other),
        onProcess: (process, ms) => news.process(process, ms),
      };
      const result = await executor.run(request);
      await redis.set(keys.output(jobId), Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength), "PX", LEFTOVER_TTL_MS);
      await news.flushed();
      report("done");
      return { ok: true, type: result.type, empty: result.empty, processes: result.processes, ranOn: name, serializer: result.serializer };
    } catch (error) {
      await news.flushed();
      report(error instanceof VersionSkewError ? "refused" : "failed", error as Error);
      return { ok: false, error: errorToWire(error), ranOn: name };
    } finally {
      aborts.delete(jobId);
    }
  };

  // BullMQ leaves a connection it is given open: it is closed in close().
  const connection = redis.duplicate({ maxRetriesPerRequest: null });
  // BullMQ reconnects when Redis comes back; meanwhile its errors are not ours to print.
  connection.on("error", () => {});
  const worker = new Worker<AttemptJob, AttemptReply>(keys.queue, runJob, {
    connection,
    prefix: QUEUE_PREFIX,
    concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 1,
  });
  worker.on("error", () => {});
  await worker.waitUntilReady();

  return {
    name,
    async close() {
      await worker.close();
      await executor.close?.();
      await store.close();
      await subscriber.quit().catch(() => subscriber.disconnect());
      for (const client of [connection, redis]) await client.quit().catch(() => client.disconnect());
    },
  };
}
