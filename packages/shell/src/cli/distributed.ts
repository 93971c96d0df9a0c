import type { Pipeline } from "@lp/core";
import { DistributedMissingError } from "../errors.js";

/**
 * `@lp/bullmq`, loaded only when a command asks for a distributed run: it is an optional
 * peer, so a single-machine install never pulls Redis clients in.
 * @throws DistributedMissingError when it is not installed
 */
export async function loadDistributed(command: string): Promise<typeof import("@lp/bullmq")> {
  try {
    return await import("@lp/bullmq");
  } catch (error) {
    throw new DistributedMissingError(command, error);
  }
}

/**
 * `--redis URL` on a command that reads or tidies results: the pipeline's store becomes the
 * one its distributed runs share (`lp run --redis`, `lp worker`), opened at once so that an
 * unreachable URL fails here, naming it, rather than reading as an empty cache.
 * @throws DistributedMissingError when `@lp/bullmq` is not installed
 * @throws RedisUnreachableError naming the URL
 */
export async function useSharedStore(pipeline: Pipeline, url: string, command: string): Promise<typeof import("@lp/bullmq")> {
  const distributed = await loadDistributed(command);
  await pipeline.useStore(distributed.redisStore({ url }));
  await pipeline.store.open?.();
  return distributed;
}
