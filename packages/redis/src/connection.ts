import { InvalidOptionError } from "@lp/core";
import { Redis, type RedisOptions } from "ioredis";
import { RedisUnreachableError } from "./errors.js";

/** How long a first connection may take before the URL is reported unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** A Redis URL with any password hidden, for messages and descriptions. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

/** Checks a `redis://` / `rediss://` URL at once, so a typo fails before any work starts. */
export function checkUrl(where: string, url: unknown): string {
  if (typeof url !== "string" || !/^rediss?:\/\/./.test(url)) {
    throw new InvalidOptionError(where, "url", 'a Redis URL such as "redis://127.0.0.1:6379"', url);
  }
  try {
    new URL(url);
  } catch {
    throw new InvalidOptionError(where, "url", 'a Redis URL such as "redis://127.0.0.1:6379"', url);
  }
  return url;
}

/**
 * Opens a connection and waits until Redis answers. ioredis would otherwise retry for
 * ever and queue commands meanwhile, so a wrong URL would hang a run: here the first
 * connection gets a few tries within {@link CONNECT_TIMEOUT_MS}, and later commands fail
 * after one reconnection instead of waiting indefinitely.
 *
 * @throws RedisUnreachableError naming the URL
 */
export async function connect(url: string, extra: RedisOptions = {}): Promise<Redis> {
  let connected = false;
  let lastError: Error | undefined;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (times) => (connected ? Math.min(times * 200, 2_000) : times < 3 ? 200 : null),
    ...extra,
  });
  client.on("error", (error: Error) => {
    lastError = error;
  });
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS + 1_000).unref(),
  );
  try {
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
    connected = true;
    return client;
  } catch (error) {
    client.disconnect();
    const detail = (lastError ?? (error as Error))?.message ?? String(error);
    throw new RedisUnreachableError(safeUrl(url), detail, lastError ?? error);
  }
}
