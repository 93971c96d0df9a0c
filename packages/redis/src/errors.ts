import { LpError } from "@lp/core";

/** Redis could not be reached (refused, unknown host, timed out) or dropped the connection. */
export class RedisUnreachableError extends LpError {
  constructor(
    readonly url: string,
    detail: string,
    cause?: unknown,
  ) {
    super(
      "LP_REDIS_UNREACHABLE",
      `Redis at ${url} is unreachable (${detail}). Start it (redis-server), or check the URL, its port and any password.`,
      { cause, retryable: true },
    );
  }
}
