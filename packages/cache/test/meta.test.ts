import { join } from "node:path";
import type { ResultMeta } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

const metaOf = (key: string, body: Buffer): ResultMeta => ({
  key,
  fingerprint: `fp-${key}`,
  components: { code: "c", inputs: { file: "sha256-x" }, upstream: { Up: "sha256-up" } },
  digest: digestBytes(body),
  size: body.byteLength,
  serializer: "msgpack",
  createdAt: 1,
  expiresAt: null,
  expiry: "never",
  empty: false,
  type: "string",
});

describe("metadata handed out", () => {
  it("is the caller's own, nested parts included, before and after reopening", async () => {
    const dir = join(tempDir(), "store");
    const body = Buffer.from("ünïcode body");
    const meta = metaOf("Ä/x", body);
    const store = new CacacheStore({ dir });
    await store.put("Ä/x", body, meta);
    for (const s of [store, new CacacheStore({ dir })]) {
      const first = (await s.getMeta("Ä/x"))!;
      expect(first).toEqual(meta);
      (first.components.upstream as Record<string, string>).Up = "changed";
      first.fingerprint = "changed";
      expect(await s.getMeta("Ä/x")).toEqual(meta);
      const stored = (await s.get("Ä/x"))!;
      (stored.meta.components.inputs as Record<string, string>).file = "changed";
      expect((await s.get("Ä/x"))!.meta).toEqual(meta);
      expect((await s.list())[0]).toEqual(meta);
      await s.close();
    }
  });

  it("of thousands of entries, read back by a new store, is each entry's own", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    const keys = Array.from({ length: 3000 }, (_, i) => `t${i}`);
    await Promise.all(keys.map((k) => store.put(k, Buffer.from(k), metaOf(k, Buffer.from(k)))));
    await store.close();
    const again = new CacacheStore({ dir });
    for (const k of keys.reverse()) expect((await again.getMeta(k))?.fingerprint).toBe(`fp-${k}`);
    expect((await again.get("t7"))!.body.toString()).toBe("t7");
    await again.close();
  });
});
