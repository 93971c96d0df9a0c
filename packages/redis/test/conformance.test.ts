import { storeConformance } from "@lp/core/conformance";
import { hasRedisServer, startRedisServer, type TestRedis } from "../src/testing.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import { RedisStore } from "../src/index.js";

let server: TestRedis;
let n = 0;

describe.runIf(hasRedisServer())("RedisStore", () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  describe("one chunk per body", () => {
    storeConformance(it, {
      create: () => new RedisStore({ url: server.url, prefix: `t${n++}` }),
      reopen: (store) => new RedisStore({ url: server.url, prefix: (store as RedisStore).prefix }),
      dispose: (store) => store.clear(),
    });
  });

  describe("bodies in 2-byte chunks", () => {
    storeConformance(it, {
      create: () => new RedisStore({ url: server.url, prefix: `c${n++}`, chunkBytes: 2 }),
      reopen: (store) => new RedisStore({ url: server.url, prefix: (store as RedisStore).prefix, chunkBytes: 3 }),
    });
  });
});
