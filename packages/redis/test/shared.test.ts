import { Pipeline, Task, clearBranch, clearResults, silentLogger, task } from "@lp/core";
import { sampleMeta } from "@lp/core/conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { RedisStore, RedisUnreachableError, redisStore } from "../src/index.js";
import { freePort, hasRedisServer, startRedisServer, type TestRedis } from "../src/testing.js";

let server: TestRedis;
let n = 0;
const bytes = (text: string) => new TextEncoder().encode(text);

describe.runIf(hasRedisServer())("RedisStore shared by several clients", () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it("stores a large body in chunks and reads it back whole", async () => {
    const store = new RedisStore({ url: server.url, prefix: `big${n++}`, chunkBytes: 64 * 1024 });
    const body = new Uint8Array(1_000_000).map((_, i) => (i * 31) % 251);
    await store.put("Big", body, sampleMeta("Big", body));
    const redis = new Redis(server.url);
    expect(await redis.llen(`${store.prefix}:body:Big:${sampleMeta("Big", body).digest}`)).toBe(16);
    redis.disconnect();
    expect(Buffer.from((await store.get("Big"))!.body).equals(Buffer.from(body))).toBe(true);
    await store.close();
  });

  it("stores a body of many more chunks than one call can take as arguments, and reads it back whole", async () => {
    const store = new RedisStore({ url: server.url, prefix: `many${n++}`, chunkBytes: 1 });
    const body = new Uint8Array(300_000).map((_, i) => (i * 7) % 253);
    await store.put("Many", body, sampleMeta("Many", body));
    expect(Buffer.from((await store.get("Many"))!.body).equals(Buffer.from(body))).toBe(true);
    await store.close();
  });

  it("never serves a body that does not match its digest: it reads as missing and is reported", async () => {
    const corrupt: string[] = [];
    const store = new RedisStore({ url: server.url, prefix: `bad${n++}`, onCorrupt: (key, why) => corrupt.push(`${key}: ${why}`) });
    const body = bytes("the right bytes");
    const meta = sampleMeta("A", body);
    await store.put("A", body, meta);
    const redis = new Redis(server.url);
    await redis.lset(`${store.prefix}:body:A:${meta.digest}`, 0, "the wrong bytes");
    expect(await store.get("A")).toBeUndefined();
    await redis.del(`${store.prefix}:body:A:${meta.digest}`);
    expect(await store.get("A")).toBeUndefined();
    redis.disconnect();
    expect(corrupt).toEqual(["A: its body does not match its digest", "A: its body has 0 bytes, its metadata says 15"]);
    await store.close();
  });

  it("two clients writing the same keys at once leave whole entries, each matching its digest", async () => {
    const prefix = `race${n++}`;
    const a = new RedisStore({ url: server.url, prefix, chunkBytes: 3 });
    const b = new RedisStore({ url: server.url, prefix, chunkBytes: 5 });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      for (const [store, who] of [[a, "a"], [b, "b"]] as const) {
        const body = bytes(`${who}-${i}-${"x".repeat(i)}`);
        writes.push(store.put(`K${i % 5}`, body, sampleMeta(`K${i % 5}`, body, { fingerprint: `${who}${i}` })));
      }
    }
    const reads = Array.from({ length: 100 }, (_, i) => a.get(`K${i % 5}`));
    await Promise.all(writes);
    for (const got of await Promise.all(reads)) {
      if (got) expect(Buffer.from(got.body).toString()).toMatch(new RegExp(`^${got.meta.fingerprint[0]}-${got.meta.fingerprint.slice(1)}-`));
    }
    for (let k = 0; k < 5; k++) {
      const got = await b.get(`K${k}`);
      expect(got?.meta.fingerprint).toMatch(/^[ab]\d+$/);
    }
    // No body list is left behind that no entry refers to.
    const redis = new Redis(server.url);
    expect((await redis.keys(`${prefix}:body:*`)).length).toBe(5);
    redis.disconnect();
    await Promise.all([a.close(), b.close()]);
  });

  it("prune removes expired entries and bodies no entry refers to", async () => {
    const store = new RedisStore({ url: server.url, prefix: `prune${n++}` });
    await store.put("Old", bytes("old"), sampleMeta("Old", bytes("old"), { expiresAt: 1_000 }));
    await store.put("New", bytes("new"), sampleMeta("New", bytes("new"), { expiresAt: null }));
    const redis = new Redis(server.url);
    await redis.rpush(`${store.prefix}:body:Gone:sha256-x`, "orphan");
    const report = await store.prune(2_000);
    expect(report.removed).toEqual(["Old"]);
    expect(await redis.exists(`${store.prefix}:body:Gone:sha256-x`)).toBe(0);
    expect((await store.list()).map((m) => m.key)).toEqual(["New"]);
    redis.disconnect();
    await store.close();
  });

  it("clearing a mapped task removes its branches from the shared store; clearing one branch runs it alone again", async () => {
    const store = new RedisStore({ url: server.url, prefix: `map${n++}` });
    let ran: number[] = [];
    const pipeline = new Pipeline("Mapped", { store, logger: silentLogger() }).add(
      task("Items", { run: () => [1, 2, 3] }),
      new Task("Double", {
        map: "Items",
        run() {
          ran.push(this.item as number);
          return (this.item as number) * 2;
        },
      }),
    );
    const run = async () => {
      ran = [];
      expect((await pipeline.execute()).ok).toBe(true);
      return ran.sort();
    };
    const branches = async () => (await store.list()).filter((m) => m.key.startsWith("Double[#")).map((m) => m.key);
    expect(await run()).toEqual([1, 2, 3]);
    expect(await branches()).toHaveLength(3);

    // Another client of the same store sees the clearing.
    const other = new RedisStore({ url: server.url, prefix: store.prefix });
    expect(await clearResults(other, { task: "Double" })).toHaveLength(4);
    await other.close();
    expect(await branches()).toEqual([]);
    expect(await run()).toEqual([1, 2, 3]);

    expect(await clearBranch(pipeline, "Double", 1)).toHaveLength(2);
    expect(await branches()).toHaveLength(2);
    expect(await run()).toEqual([2]);
    expect(await pipeline.getResult("Double")).toEqual([2, 4, 6]);
    await pipeline.close();
  });

  it("redisStore() gives each pipeline its own keys", async () => {
    const make = redisStore({ url: server.url });
    const one = make("One");
    const two = make("Two");
    await one.put("A", bytes("1"), sampleMeta("A", bytes("1")));
    expect(await two.has("A")).toBe(false);
    expect(one.prefix).toBe("lp:{One}");
    await one.clear();
    await Promise.all([one.close(), two.close()]);
  });
});

describe("RedisStore without a server", () => {
  it("fails fast with an error naming the URL, without hanging", async () => {
    const port = await freePort();
    const store = new RedisStore({ url: `redis://user:secret@127.0.0.1:${port}`, prefix: "x" });
    const error = await store.get("A").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnreachableError);
    expect((error as RedisUnreachableError).code).toBe("LP_REDIS_UNREACHABLE");
    expect((error as Error).message).toContain(`redis://user:***@127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain("secret");
  });

  it("rejects a URL that is not a Redis URL, naming the option", () => {
    expect(() => redisStore({ url: "localhost:6379" })).toThrow(/redisStore\(\): expected `url` to be a Redis URL/);
  });
});
