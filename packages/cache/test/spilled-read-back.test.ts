import { join } from "node:path";
import type { ResultMeta } from "@lp/core";
import { StoreError } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import { describe, expect, it, vi } from "vitest";
import { CacacheStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

/** Bytes the store reads with `readSync`, and how many of the next reads fail (EIO). */
const reads = vi.hoisted(() => ({ bytes: 0, failing: 0 }));

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const readSync = ((...args: Parameters<typeof real.readSync>) => {
    if (reads.failing > 0) {
      reads.failing--;
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    const n = real.readSync(...args);
    reads.bytes += n;
    return n;
  }) as typeof real.readSync;
  return { ...real, default: { ...real, readSync }, readSync };
});

const BODY = 40 * 1024;

function resultFor(key: string, fill: number): { body: Buffer; meta: ResultMeta } {
  const body = Buffer.alloc(BODY, fill & 255);
  const meta: ResultMeta = { key, fingerprint: "f", components: { code: "c", inputs: {}, upstream: {} }, digest: digestBytes(body), size: body.byteLength, serializer: "bytes", createdAt: 1, expiresAt: null, expiry: "never" };
  return { body, meta };
}

describe("a put record read back from the journal file this store writes", () => {
  it("reads its own bytes, not the whole file, each time a result is read after more puts", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir, fsync: false, inlineMaxBytes: 64 * 1024 });
    for (let i = 0; i < 300; i++) {
      const { body, meta } = resultFor(`k${i}`, i);
      await store.put(meta.key, body, meta);
    }
    // About 12 MB of journal: reading it whole once per cycle would read 20 times that.
    const before = reads.bytes;
    for (let c = 0; c < 20; c++) {
      const { body, meta } = resultFor(`k${c}`, c + 7);
      await store.put(meta.key, body, meta);
      const got = await store.get(meta.key);
      expect(Buffer.from(got!.body).equals(body), meta.key).toBe(true);
    }
    expect(reads.bytes - before).toBeLessThan(20 * 2 * (BODY + 4096));
    await store.close();
  });

  it("that cannot be read back now fails the read with a StoreError, and the result stays stored", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir, fsync: false, inlineMaxBytes: 64 * 1024 });
    const { body, meta } = resultFor("A", 1);
    await store.put("A", body, meta);
    reads.failing = 1;
    const error = await store.get("A").then(
      () => undefined,
      (e: unknown) => e,
    );
    reads.failing = 0;
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/Could not read the result of "A" in .*EIO/);
    const got = await store.get("A");
    expect(Buffer.from(got!.body).equals(body)).toBe(true);
    expect(await store.getMeta("A")).toEqual(meta);
    await store.close();
    const again = new CacacheStore({ dir });
    expect(Buffer.from((await again.get("A"))!.body).equals(body)).toBe(true);
    await again.close();
  });
});
