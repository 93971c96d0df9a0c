/**
 * @lp/bullmq: distributed little-pipelines runs. The coordinator keeps the scheduler and
 * enqueues each ready task attempt as a BullMQ job; workers on any machine run them.
 */
export { BullmqExecutor, bullmqExecutor } from "./executor.js";
export type { BullmqExecutorOptions } from "./executor.js";
export { startWorker } from "./worker.js";
export type { RunningWorker, WorkerAttemptEvent, WorkerOptions } from "./worker.js";
export { VersionSkewError, WorkerLostError } from "./errors.js";
export { RedisStore, RedisUnreachableError, redisStore } from "@lp/redis";
export type { RedisStoreFactoryOptions, RedisStoreOptions } from "@lp/redis";
