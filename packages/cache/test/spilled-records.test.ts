import { join } from "node:path";
import type { ResultMeta } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import { describe, expect, it, vi } from "vitest";
import { CacacheStore } from "../src/index.js";
import { Journal } from "../src/journal/journal.js";
import { encodePut } from "../src/journal/record.js";
import { putSmall, tempDir } from "./helpers.js";

/** How many of the next journal syncs fail (EIO), as a failing disk's would. */
const failing = vi.hoisted(() => ({ syncs: 0 }));

vi.mock("../src/fsync.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fsync.js")>();
  return {
    ...real,
    fdatasyncAsync: (fd: number) => {
      if (failing.syncs > 0) {
        failing.syncs--;
        return Promise.reject(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
      }
      return real.fdatasyncAsync(fd);
    },
  };
});

/** Metadata and a body for `key`, some kept in the journal (inline), some in the content store. */
function resultFor(key: string, i: number): { body: Buffer; meta: ResultMeta } {
  const body = Buffer.from(`${key}:`.repeat(i % 7 === 0 ? 400 : 1 + (i % 5)));
  const meta: ResultMeta = {
    key,
    fingerprint: `fp ${i} ✓`,
    components: { code: `code of ${key}`, inputs: {}, upstream: i > 0 ? { [`k${i - 1}`]: `digest ${i - 1}` } : {} },
    digest: digestBytes(body),
    size: body.byteLength,
    serializer: "bytes",
    createdAt: 1000 + i,
    expiresAt: null,
    expiry: "never",
  };
  return { body, meta };
}

describe("put records written by this process", () => {
  it("read their metadata and inline body from the journal file once there, not from the memory they were encoded in", async () => {
    const dir = tempDir();
    const journal = new Journal(dir, true, () => {});
    const encoded = [];
    for (let i = 0; i < 300; i++) {
      const k = i % 3 === 0 ? `ünï ${i}` : `k${i}`;
      const meta = JSON.stringify({ key: k, i, note: "é✓".repeat(i % 4) });
      const body = i % 2 === 0 ? Buffer.from(`body ${i}`) : undefined;
      const { record, put } = encodePut(journal.nextSeq(), k, body?.byteLength ?? 1000, `sha256-${i}`, meta, body);
      // Where it was encoded, before it is written.
      const src = put.src;
      await journal.commit([record], [put]);
      encoded.push({ k, meta, body, src });
    }
    // Whatever happens to that memory afterwards, the entries read what was written.
    for (const { src } of encoded) src.fill(0);
    for (const [i, { k, meta, body }] of encoded.entries()) {
      const entry = journal.view.entries.get(k)!;
      expect(entry.decodeMeta(), k).toEqual(JSON.parse(meta));
      expect(entry.meta.toString("utf8")).toBe(meta);
      expect(entry.digest).toBe(`sha256-${i}`);
      expect(entry.inline).toBe(body !== undefined);
      if (body) expect(entry.body?.equals(body), k).toBe(true);
    }
    await journal.close();
  });

  it("read back as they were put, with reads and puts interleaved, and after a reopen", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir, inlineMaxBytes: 1024 });
    const results = Array.from({ length: 400 }, (_, i) => resultFor(i % 4 === 0 ? `tâche ${i}` : `k${i}`, i));
    for (const [i, { body, meta }] of results.entries()) {
      await store.put(meta.key, body, meta);
      // Now and then a read of everything so far, so that later puts land after what was read back.
      if (i % 97 === 0) for (const r of results.slice(0, i + 1)) expect(await store.getMeta(r.meta.key)).toEqual(r.meta);
    }
    for (const { body, meta } of results) {
      expect(await store.getMeta(meta.key)).toEqual(meta);
      const got = await store.get(meta.key);
      expect(got?.meta).toEqual(meta);
      expect(Buffer.from(got!.body).equals(body), meta.key).toBe(true);
    }
    await store.close();
    const again = new CacacheStore({ dir });
    for (const { body, meta } of results) expect(Buffer.from((await again.get(meta.key))!.body).equals(body), meta.key).toBe(true);
    await again.close();
  });

  it("stay readable in the same store when their file's writer failed and the file was then compacted away", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    for (const k of ["A", "B"]) await putSmall(store, k);
    failing.syncs = 1;
    await expect(putSmall(store, "C")).rejects.toThrow(/EIO/);
    // A new file takes the next put; the failed one is sealed, and compaction folds it.
    await putSmall(store, "D");
    await store.compact();
    for (const k of ["A", "B", "D"]) {
      expect((await store.get(k))?.body.toString(), k).toBe(`body of ${k}`);
      expect((await store.getMeta(k))?.key).toBe(k);
    }
    expect(await store.has("C")).toBe(false);
    await store.close();
  });

  it("told to another store on the same folder stay readable there once the writing store has closed and its file was compacted away", async () => {
    const dir = join(tempDir(), "store");
    const writing = new CacacheStore({ dir });
    const other = new CacacheStore({ dir });
    await other.getMeta("nothing yet");
    for (const k of ["A", "B"]) await putSmall(writing, k);
    // Told, not read: nothing of theirs is read before the writing store has gone.
    expect(await other.has("A")).toBe(true);
    await writing.close();
    await other.compact();
    for (const k of ["A", "B"]) {
      expect((await other.get(k))?.body.toString(), k).toBe(`body of ${k}`);
      expect((await other.getMeta(k))?.key).toBe(k);
    }
    await other.close();
  });
});
