/**
 * @lp/redis: a little-pipelines result store on Redis, shared by coordinators and workers
 * on many machines.
 */
export { RedisStore } from "./store.js";
export type { RedisStoreOptions } from "./store.js";
export { redisStore } from "./factory.js";
export type { RedisStoreFactoryOptions } from "./factory.js";
export { RedisUnreachableError } from "./errors.js";
export { connect, safeUrl, checkUrl, CONNECT_TIMEOUT_MS } from "./connection.js";
