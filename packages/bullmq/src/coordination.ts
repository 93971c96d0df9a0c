import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { serialize } from "node:v8";
import { type AttemptRequest, type AttemptResult, AbortedError } from "@lp/core";
import { errorFromWire, errorMessage, errorToWire } from "@lp/core/internal";
import { RedisUnreachableError, connect, safeUrl } from "@lp/redis";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { bounded } from "./bounded.js";
import { WorkerLostError } from "./errors.js";
import { type AttemptJob, type AttemptNews, type AttemptReply, HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, LEFTOVER_TTL_MS, PipelineKeys, QUEUE_PREFIX } from "./protocol.js";

/** How often a waiting attempt asks for its job's state, in case an event was missed. */
const POLL_MS = 5_000;
/**
 * How long Redis may stay unreachable during a run before the attempts waiting on it fail:
 * long enough for a restart or a failover, short enough that a lost Redis ends the run.
 */
const LOST_AFTER_MS = 15_000;
/** The longest a clean-up step waits on Redis (removing a job, closing a connection). */
const CLEANUP_MS = 3_000;

interface Pending {
  request: AttemptRequest;
  resolve: (result: AttemptResult) => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

/**
 * The coordinator's connection to one pipeline's queue: enqueues attempts, follows their
 * events, and keeps a heartbeat so that workers skip the jobs of a coordinator that died.
 */
export class Coordination {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly keys: PipelineKeys;
  readonly #url: string;
  readonly #redis: Redis;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #pending = new Map<string, Pending>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #poll: NodeJS.Timeout;
  readonly #connections: Redis[];
  #unreachableSince: number | undefined;
  #checking = false;

  private constructor(url: string, pipeline: string, redis: Redis, queue: Queue, events: QueueEvents, connections: Redis[]) {
    this.#connections = connections;
    this.#url = url;
    this.keys = new PipelineKeys(pipeline);
    this.#redis = redis;
    this.#queue = queue;
    this.#events = events;
    events.on("progress", ({ jobId, data }) => this.#news(jobId, data as AttemptNews));
    events.on("completed", ({ jobId, returnvalue }) => void this.#completed(jobId, parse(returnvalue)));
    events.on("failed", ({ jobId, failedReason }) => void this.#failed(jobId, failedReason));
    this.#heartbeat = setInterval(() => void this.#beat().catch(() => {}), HEARTBEAT_EVERY_MS);
    this.#poll = setInterval(() => void this.#watch(), POLL_MS);
    // Neither timer alone keeps a process alive: its connections do, until close().
    this.#heartbeat.unref();
    this.#poll.unref();
  }

  /**
   * Connects (a wrong URL fails at once, naming it) and starts following events from
   * Redis's current time, so that no event of a job added afterwards can be missed.
   * @throws RedisUnreachableError naming the URL
   */
  static async open(url: string, pipeline: string): Promise<Coordination> {
    const redis = await connect(url);
    const keys = new PipelineKeys(pipeline);
    const [seconds, micros] = await redis.time();
    const since = `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - 1}-0`;
    // BullMQ leaves connections it is given open: they are closed in close().
    const connections = [redis.duplicate({ maxRetriesPerRequest: null }), redis.duplicate({ maxRetriesPerRequest: null })];
    // A lost Redis is reported by the attempts it fails (see #watch), not as unhandled errors.
    for (const connection of connections) connection.on("error", () => {});
    const queue = new Queue(keys.queue, { connection: connections[0]!, prefix: QUEUE_PREFIX });
    const events = new QueueEvents(keys.queue, {
      connection: connections[1]!,
      prefix: QUEUE_PREFIX,
      lastEventId: since,
    });
    queue.on("error", () => {});
    events.on("error", () => {});
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const coordination = new Coordination(url, pipeline, redis, queue, events, connections);
    await coordination.#beat();
    return coordination;
  }

  #beat(): Promise<unknown> {
    return this.#redis.set(this.keys.coordinator(this.id), "1", "PX", HEARTBEAT_TTL_MS);
  }

  /** Enqueues one attempt and resolves with its outcome. */
  async run(request: AttemptRequest): Promise<AttemptResult> {
    const { identity, signal } = request;
    const jobId = `${identity.task}-${identity.attempt}-${randomUUID()}`.replace(/:/g, "_");
    const stopped = () => signal.reason ?? new AbortedError(identity.task);
    if (signal.aborted) throw stopped();
    await this.#sendInputs(jobId, request);
    const outcome = new Promise<AttemptResult>((resolve, reject) => {
      this.#pending.set(jobId, { request, resolve, reject, settled: false });
    });
    // An abort while the job is being queued settles the outcome before it is awaited below
    // (and a failed enqueue never awaits it): that rejection is not an unhandled one.
    outcome.catch(() => {});
    const onAbort = () => void this.#cancel(jobId, stopped());
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      // Stopped while its inputs were being sent: nothing to queue (the inputs go in `finally`).
      if (signal.aborted) throw stopped();
      const { branch, ...rest } = identity;
      const data: AttemptJob = { identity: rest, coordinator: this.id };
      // An item (a Date, a Map, a BigInt …) must reach the worker as it is, not as JSON makes it.
      if (branch) data.branch = { index: branch.index, item: serialize(branch.item).toString("base64") };
      // An abort from here on reaches onAbort, which removes the job once it is queued.
      await this.#queue.add(identity.task, data, { jobId, attempts: 1, removeOnComplete: { age: LEFTOVER_TTL_MS / 1000 }, removeOnFail: { age: LEFTOVER_TTL_MS / 1000 } });
      return await outcome;
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.#pending.delete(jobId);
      await bounded(this.#redis.del(this.keys.inputs(jobId), this.keys.output(jobId)), CLEANUP_MS);
      await bounded(this.#queue.remove(jobId), CLEANUP_MS);
    }
  }

  /**
   * Puts the results of the task's dependencies beside the job, from the bytes this run
   * holds: a dependent may start while its upstream result is still being saved, so a
   * worker could not count on finding it in the shared store yet.
   */
  async #sendInputs(jobId: string, request: AttemptRequest): Promise<void> {
    const fields: (string | Buffer)[] = [];
    for (const name of request.task.dependencies) {
      try {
        const { body, serializer } = await request.readResult(name);
        fields.push(`b:${name}`, Buffer.from(body.buffer, body.byteOffset, body.byteLength), `s:${name}`, serializer);
      } catch (error) {
        fields.push(`e:${name}`, JSON.stringify(errorToWire(error)));
      }
    }
    if (fields.length === 0) return;
    const key = this.keys.inputs(jobId);
    await this.#redis.multi().hset(key, ...fields).pexpire(key, LEFTOVER_TTL_MS).exec();
  }

  #news(jobId: string, news: AttemptNews): void {
    const pending = this.#pending.get(jobId);
    if (!pending || pending.settled || !news || typeof news !== "object") return;
    const { logger, onProcess } = pending.request;
    try {
      if (news.t === "process") onProcess(news.name, news.ms);
      else if (news.t === "log") {
        if (news.level === "perf") logger.perf(news.message, news.args[0] as number);
        else logger[news.level](news.message, ...news.args);
      }
    } catch {
      // A faulty logger never fails a task.
    }
  }

  async #completed(jobId: string, reply: AttemptReply | undefined): Promise<void> {
    const pending = this.#pending.get(jobId);
    if (!pending || pending.settled) return;
    const { identity } = pending.request;
    if (!reply) return this.#settle(pending, new WorkerLostError(identity.task, identity.attempt, "its worker sent no answer"));
    if (reply.ok) {
      let body: Buffer | null;
      try {
        body = await this.#redis.getBuffer(this.keys.output(jobId));
      } catch (error) {
        // Called from an event handler: a failed read must settle the attempt, not escape unhandled.
        return this.#settle(pending, new WorkerLostError(identity.task, identity.attempt, `worker ${reply.ranOn} finished, but its result could not be read from Redis: ${errorMessage(error)}`));
      }
      if (!body) return this.#settle(pending, new WorkerLostError(identity.task, identity.attempt, `worker ${reply.ranOn} finished, but its result is gone from Redis`));
      const result: AttemptResult = { body: new Uint8Array(body), type: reply.type, empty: reply.empty, processes: reply.processes, ranOn: reply.ranOn };
      if (reply.serializer) result.serializer = reply.serializer;
      return this.#settle(pending, undefined, result);
    }
    if ("error" in reply) return this.#settle(pending, errorFromWire(reply.error));
    this.#settle(pending, new WorkerLostError(identity.task, identity.attempt, `worker ${reply.ranOn} took it for a stopped coordinator's`));
  }

  /** A job fails only when BullMQ gives up on it: its workers kept dying (our replies always complete it). */
  #failed(jobId: string, reason: string): void {
    const pending = this.#pending.get(jobId);
    if (!pending || pending.settled) return;
    const { identity } = pending.request;
    const detail = /stalled/.test(reason) ? `the workers running it stopped answering more often than stalled-job recovery allows (maxStalledCount); BullMQ: ${reason}` : reason;
    this.#settle(pending, new WorkerLostError(identity.task, identity.attempt, detail));
  }

  #settle(pending: Pending, error: unknown, result?: AttemptResult): void {
    if (pending.settled) return;
    pending.settled = true;
    if (result) pending.resolve(result);
    else pending.reject(error);
  }

  /**
   * Every few seconds: is Redis there? If so, catch up on missed events; if it has not
   * answered for {@link LOST_AFTER_MS}, fail every waiting attempt, naming the URL — their
   * events cannot come, and BullMQ would wait for Redis for ever.
   */
  async #watch(): Promise<void> {
    if (this.#pending.size === 0) return;
    try {
      await Promise.race([this.#redis.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${POLL_MS / 1000} s`)), POLL_MS).unref())]);
      this.#unreachableSince = undefined;
    } catch (error) {
      const now = Date.now();
      this.#unreachableSince ??= now;
      if (now - this.#unreachableSince < LOST_AFTER_MS) return;
      const detail = `lost during the run, no answer for ${Math.round((now - this.#unreachableSince) / 1000)} s: ${(error as Error)?.message ?? String(error)}`;
      for (const pending of this.#pending.values()) this.#settle(pending, new RedisUnreachableError(this.url, detail, error));
      return;
    }
    if (this.#checking) return;
    this.#checking = true;
    await this.#check()
      .catch(() => {})
      .finally(() => {
        this.#checking = false;
      });
  }

  /** Catches up on any job whose closing event did not arrive (a dropped connection). */
  async #check(): Promise<void> {
    for (const [jobId, pending] of this.#pending) {
      if (pending.settled) continue;
      const job = await this.#queue.getJob(jobId);
      if (!job) continue;
      const state = await job.getState();
      if (state === "completed") await this.#completed(jobId, parse(job.returnvalue));
      else if (state === "failed") this.#failed(jobId, job.failedReason);
    }
  }

  /** A queued job is removed; a running one is told to stop (its worker aborts `this.signal`). */
  async #cancel(jobId: string, reason: unknown): Promise<void> {
    const pending = this.#pending.get(jobId);
    if (pending) this.#settle(pending, reason);
    const removed = await Promise.race([this.#queue.remove(jobId).catch(() => 0), new Promise<number>((resolve) => setTimeout(() => resolve(0), CLEANUP_MS).unref())]);
    if (removed !== 1) await this.#redis.publish(this.keys.abort, JSON.stringify({ jobId, reason: errorToWire(reason) })).catch(() => {});
  }

  /** Where it is connected, for messages. */
  get url(): string {
    return safeUrl(this.#url);
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    clearInterval(this.#poll);
    if (this.#unreachableSince !== undefined) {
      // Redis is gone: nothing to tidy there, and waiting for it would only delay the exit.
      for (const redis of [this.#redis, ...this.#connections]) redis.disconnect();
      await bounded(Promise.allSettled([this.#events.close(), this.#queue.close()]), CLEANUP_MS);
      return;
    }
    await bounded(this.#redis.del(this.keys.coordinator(this.id)), CLEANUP_MS);
    await bounded(Promise.allSettled([this.#events.close(), this.#queue.close()]), CLEANUP_MS);
    for (const redis of [this.#redis, ...this.#connections]) {
      await bounded(redis.quit(), CLEANUP_MS);
      redis.disconnect();
    }
  }
}

function parse(value: unknown): AttemptReply | undefined {
  if (typeof value !== "string") return (value ?? undefined) as AttemptReply | undefined;
  try {
    return JSON.parse(value) as AttemptReply;
  } catch {
    return undefined;
  }
}
