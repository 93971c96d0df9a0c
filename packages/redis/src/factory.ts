import type { PipelineLocation } from "@lp/core";
import { InvalidOptionError } from "@lp/core";
import { checkUrl } from "./connection.js";
import { RedisStore, type RedisStoreOptions } from "./store.js";

/** Options of {@link redisStore}: those of {@link RedisStore}, with `prefix` optional. */
export type RedisStoreFactoryOptions = Omit<RedisStoreOptions, "prefix"> & {
  /**
   * Prefix of every key; the pipeline's name is appended (`<prefix>:{<pipeline>}`).
   * @default "lp"
   */
  prefix?: string;
};

/**
 * A store option for pipelines: each pipeline gets a {@link RedisStore} under
 * `lp:{<pipeline name>}`, so many pipelines share one Redis. The braces keep a pipeline's
 * keys in one hash slot, so its atomic scripts work on a Redis Cluster too.
 *
 * @example
 * const pipeline = new Pipeline("Daily", { store: redisStore({ url: process.env.REDIS_URL! }) });
 * @throws InvalidOptionError for a bad option
 */
export function redisStore(options: RedisStoreFactoryOptions): (pipelineName: string, location?: PipelineLocation) => RedisStore {
  checkUrl("redisStore()", options?.url);
  const prefix = options.prefix ?? "lp";
  if (typeof prefix !== "string" || prefix === "") throw new InvalidOptionError("redisStore()", "prefix", "a non-empty string", prefix);
  return (pipelineName) => new RedisStore({ ...options, prefix: `${prefix}:{${pipelineName}}` });
}
