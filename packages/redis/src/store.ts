import { InvalidOptionError, type PruneReport, type ResultMeta, type ResultStore, type StoredResult, StoreError } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import type { Redis } from "ioredis";
import { checkUrl, connect, safeUrl } from "./connection.js";
import { RedisUnreachableError } from "./errors.js";
import { CLEAR, DELETE, GET, GET_META, PUT, SET_EXPIRY } from "./scripts.js";

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** Where Redis is, e.g. `redis://127.0.0.1:6379` or `rediss://:password@host:6380/2`. */
  url: string;
  /**
   * Prefix of every key this store writes. Two pipelines must not share one.
   * @default `lp:{<pipeline>}` from {@link redisStore}; required when constructing directly
   */
  prefix: string;
  /**
   * Bodies are written as chunks of at most this many bytes, so that a large result never
   * becomes one huge Redis value (Redis caps values at 512 MB and blocks while copying one).
   * @default 1048576 (1 MiB)
   */
  chunkBytes?: number;
  /** Called when an entry fails verification (its body does not match its digest); the entry reads as missing. */
  onCorrupt?: (key: string, reason: string) => void;
}

/** A put whose body list vanished before its metadata landed (a concurrent writer) tries again. */
const PUT_TRIES = 5;
/** Chunks pushed by one RPUSH of a put (all of them in one MULTI). */
const RPUSH_BATCH = 1024;
const DEFAULT_CHUNK = 1024 * 1024;

/**
 * A {@link ResultStore} on Redis, shared by every coordinator and worker that points at
 * the same server: metadata in one hash, each body in a list of chunks. Every write of an
 * entry and every read of one is a single Lua script, so readers see one write whole and
 * concurrent writers of a key leave one of their entries, never a mix; every body read is
 * checked against its digest. Durability is Redis's: configure `appendonly yes` (AOF) on a
 * server whose results must survive its restart.
 *
 * @example
 * const pipeline = new Pipeline("Daily", { store: redisStore({ url: "redis://cache:6379" }) });
 */
export class RedisStore implements ResultStore {
  readonly url: string;
  readonly prefix: string;
  readonly description: string;
  readonly #chunkBytes: number;
  readonly #onCorrupt: ((key: string, reason: string) => void) | undefined;
  readonly #keys: { meta: string; where: string; expiry: string };
  #client: Promise<Redis> | undefined;

  /** @throws InvalidOptionError for a bad option */
  constructor(options: RedisStoreOptions) {
    this.url = checkUrl("RedisStore", options?.url);
    if (typeof options.prefix !== "string" || options.prefix === "") throw new InvalidOptionError("RedisStore", "prefix", "a non-empty string", options.prefix);
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK;
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new InvalidOptionError("RedisStore", "chunkBytes", "a whole number of bytes from 1 up", chunkBytes);
    this.prefix = options.prefix;
    this.#chunkBytes = chunkBytes;
    this.#onCorrupt = options.onCorrupt;
    this.#keys = { meta: `${this.prefix}:meta`, where: `${this.prefix}:where`, expiry: `${this.prefix}:expiry` };
    this.description = `redis:${safeUrl(this.url)} ${this.prefix}`;
  }

  /** Connects on first use; a failed connection is tried afresh by the next call. */
  #redis(): Promise<Redis> {
    if (!this.#client) {
      this.#client = connect(this.url);
      this.#client.catch(() => {
        this.#client = undefined;
      });
    }
    return this.#client;
  }

  /** Runs a command; a Redis fault becomes an error naming the store and the operation. */
  async #do<T>(what: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = await this.#redis();
    try {
      return await fn(redis);
    } catch (error) {
      if (error instanceof RedisUnreachableError) throw error;
      throw new StoreError(`Redis store ${this.description}: ${what} failed: ${(error as Error)?.message ?? String(error)}`, error);
    }
  }

  async open(): Promise<void> {
    await this.#redis();
  }

  async get(key: string): Promise<StoredResult | undefined> {
    const k = this.#keys;
    const reply = (await this.#do(`reading "${key}"`, (r) => r.callBuffer("EVAL", GET, 3, k.meta, k.where, k.expiry, key))) as [Buffer, Buffer | null, Buffer[]] | null;
    if (!reply) return undefined;
    const meta = this.#meta(reply[0].toString(), reply[1]?.toString() ?? null);
    const body = concat(reply[2]);
    const problem =
      body.byteLength !== meta.size
        ? `its body has ${body.byteLength} bytes, its metadata says ${meta.size}`
        : digestBytes(body) !== meta.digest
          ? "its body does not match its digest"
          : undefined;
    if (problem) {
      this.#onCorrupt?.(key, problem);
      return undefined;
    }
    return { body, meta };
  }

  async getMeta(key: string): Promise<ResultMeta | undefined> {
    const k = this.#keys;
    const reply = (await this.#do(`reading "${key}"`, (r) => r.eval(GET_META, 2, k.meta, k.expiry, key))) as [string, string | null] | null;
    return reply ? this.#meta(reply[0], reply[1]) : undefined;
  }

  async put(key: string, body: Uint8Array, meta: ResultMeta): Promise<void> {
    const k = this.#keys;
    const list = `${this.prefix}:body:${key}:${meta.digest}`;
    const json = JSON.stringify(meta);
    const chunks: Buffer[] = [];
    for (let at = 0; at < body.byteLength; at += this.#chunkBytes) {
      chunks.push(Buffer.from(body.buffer, body.byteOffset + at, Math.min(this.#chunkBytes, body.byteLength - at)));
    }
    await this.#do(`storing "${key}"`, async (r) => {
      for (let attempt = 1; ; attempt++) {
        if (chunks.length > 0) {
          const writing = r.multi().del(list);
          // In batches: one call with every chunk as an argument overflows the stack for a big body in small chunks.
          for (let at = 0; at < chunks.length; at += RPUSH_BATCH) writing.rpush(list, ...chunks.slice(at, at + RPUSH_BATCH));
          await writing.exec();
        }
        const placed = await r.eval(PUT, 3, k.meta, k.where, k.expiry, key, json, list, chunks.length > 0 ? "1" : "0");
        if (placed === 1) return;
        if (attempt >= PUT_TRIES) throw new Error(`its body kept being removed by concurrent writers (${PUT_TRIES} tries)`);
      }
    });
  }

  async has(key: string): Promise<boolean> {
    return (await this.#do(`reading "${key}"`, (r) => r.hexists(this.#keys.meta, key))) === 1;
  }

  async delete(key: string): Promise<boolean> {
    const k = this.#keys;
    return (await this.#do(`deleting "${key}"`, (r) => r.eval(DELETE, 3, k.meta, k.where, k.expiry, key))) === 1;
  }

  async list(): Promise<ResultMeta[]> {
    const k = this.#keys;
    const replies = await this.#do("listing entries", (r) => r.multi().hgetall(k.meta).hgetall(k.expiry).exec());
    const metas = (replies?.[0]?.[1] ?? {}) as Record<string, string>;
    const expiries = (replies?.[1]?.[1] ?? {}) as Record<string, string>;
    return Object.entries(metas).map(([key, json]) => this.#meta(json, expiries[key] ?? null));
  }

  async clear(): Promise<void> {
    const k = this.#keys;
    await this.#do("clearing", async (r) => {
      await r.eval(CLEAR, 3, k.meta, k.where, k.expiry);
      await this.#removeOrphans(r, new Set());
    });
  }

  async setExpiry(key: string, expiresAt: number): Promise<void> {
    const k = this.#keys;
    await this.#do(`setting the expiry of "${key}"`, (r) => r.eval(SET_EXPIRY, 2, k.meta, k.expiry, key, String(expiresAt)));
  }

  /**
   * Removes expired entries (each only if no one replaced it meanwhile) and body lists no
   * entry refers to (left by a writer that stopped between writing a body and its metadata).
   */
  async prune(now: number): Promise<PruneReport> {
    const k = this.#keys;
    return this.#do("pruning", async (r) => {
      const replies = await r.multi().hgetall(k.meta).hgetall(k.expiry).exec();
      const metas = (replies?.[0]?.[1] ?? {}) as Record<string, string>;
      const expiries = (replies?.[1]?.[1] ?? {}) as Record<string, string>;
      const removed: string[] = [];
      let freedBytes = 0;
      for (const [key, json] of Object.entries(metas)) {
        const meta = this.#meta(json, expiries[key] ?? null);
        if (meta.expiresAt === null || meta.expiresAt > now) continue;
        if ((await r.eval(DELETE, 3, k.meta, k.where, k.expiry, key, json)) === 1) {
          removed.push(key);
          freedBytes += meta.size;
        }
      }
      const live = new Set(Object.values((await r.hgetall(k.where)) as Record<string, string>));
      freedBytes += await this.#removeOrphans(r, live);
      return { removed, freedBytes };
    });
  }

  /** Deletes body lists not in `live`; returns their bytes. A put racing this one writes its list again. */
  async #removeOrphans(r: Redis, live: Set<string>): Promise<number> {
    let freed = 0;
    const pattern = `${globEscape(this.prefix)}:body:*`;
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      for (const list of keys) {
        if (live.has(list)) continue;
        freed += Number((await r.memory("USAGE", list)) ?? 0);
        await r.del(list);
      }
    } while (cursor !== "0");
    return freed;
  }

  /** The metadata as core wrote it, with a later `setExpiry` applied. */
  #meta(json: string, expiry: string | null): ResultMeta {
    const meta = JSON.parse(json) as ResultMeta;
    if (expiry !== null) meta.expiresAt = Number(expiry);
    return meta;
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    const redis = await client?.catch(() => undefined);
    await redis?.quit().catch(() => redis.disconnect());
  }
}

function concat(chunks: Buffer[]): Uint8Array {
  if (chunks.length === 1) return new Uint8Array(chunks[0]!);
  return new Uint8Array(Buffer.concat(chunks));
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
