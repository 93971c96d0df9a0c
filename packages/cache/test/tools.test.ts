import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { MemoryStore, clearResults, pruneResults, resultsSize } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import { sampleMeta } from "@lp/core/conformance";
import cacache from "cacache";
import { describe, expect, it } from "vitest";
import { CacacheStore, inspectEntry, listEntries } from "../src/index.js";
import { tempDir, warnings } from "./helpers.js";

const NOW = 1_800_000_000_000;
const big = (fill: number, size = 100_000) => Buffer.alloc(size, fill);
const small = (s: string) => Buffer.from(s);

async function seeded(dir = join(tempDir(), "store"), options: ConstructorParameters<typeof CacacheStore>[0] = {}) {
  const store = new CacacheStore({ dir, ...options });
  await store.put("Never", small("n"), sampleMeta("Never", small("n")));
  await store.put("Expired", big(1), sampleMeta("Expired", big(1), { expiresAt: NOW - 1, expiry: "atMidnight" }));
  await store.put("Later", small("l"), sampleMeta("Later", small("l"), { expiresAt: NOW + 1000, expiry: "atMidnight" }));
  await store.put("OtherSession", small("s"), sampleMeta("OtherSession", small("s"), { session: "gone", expiry: "session" }));
  await store.put("Big", big(2), sampleMeta("Big", big(2)));
  return store;
}

const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String);
const contentFiles = (dir: string) => files(join(dir, "content")).filter((f) => f.startsWith("content-v2") && /[0-9a-f]{60}$/.test(f));

describe("cache tools", () => {
  it("list entries with task, size, times, fingerprint, digest and where the body is", async () => {
    const store = await seeded();
    const entries = await listEntries(store);
    expect(entries.map((e) => e.task)).toEqual(["Big", "Expired", "Later", "Never", "OtherSession"]);
    const bigEntry = entries[0]!;
    expect(bigEntry).toMatchObject({ task: "Big", size: 100_000, createdAt: 1_700_000_000_000, expiresAt: null, expiry: "never", fingerprint: "fp-Big", storedIn: "content" });
    expect(bigEntry.digest).toMatch(/^sha256-/);
    expect(existsSync(bigEntry.file!)).toBe(true);
    expect(entries[3]).toMatchObject({ task: "Never", size: 1, storedIn: "journal", file: undefined });
  });

  it("keep big bodies where cacache itself finds and verifies them", async () => {
    const dir = join(tempDir(), "store");
    const store = await seeded(dir);
    const { digest, file } = (await store.inspect("Big"))!;
    const root = join(dir, "content");
    // @types/cacache says string; cacache resolves a Buffer.
    expect(Buffer.compare((await cacache.get.byDigest(root, digest)) as unknown as Buffer, big(2))).toBe(0);
    expect(await cacache.get.hasContent(root, digest)).toMatchObject({ size: 100_000 });
    expect(file).toBe(join(root, "content-v2", "sha256", ...(/^(..)(..)(.*)$/.exec(Buffer.from(digest.slice(7), "base64").toString("hex"))!.slice(1))));
  });

  it("inspect one, verifying its body, without discarding a bad one", async () => {
    const store = await seeded();
    const details = (await inspectEntry(store, "Big"))!;
    expect(details.body).toBe("ok");
    expect(details.meta).toEqual(sampleMeta("Big", big(2)));
    writeFileSync(details.file!, big(3));
    expect((await store.inspect("Big"))!.body).toBe("corrupt");
    expect((await store.inspect("Big"))!.body).toBe("corrupt");
    expect(await inspectEntry(store, "Nothing")).toBeUndefined();
  });

  it("work on any store", async () => {
    const memory = new MemoryStore();
    await memory.put("X", small("x"), sampleMeta("X", small("x")));
    expect((await listEntries(memory))[0]).toMatchObject({ task: "X", size: 1, fingerprint: "fp-X" });
    expect((await inspectEntry(memory, "X"))!.body).toBe("ok");
  });

  it("clear one task, all but the never-expiring, or everything (core's clearResults)", async () => {
    const dir = join(tempDir(), "store");
    const store = await seeded(dir);
    expect(await clearResults(store, { task: "Later" })).toEqual(["Later"]);
    expect((await clearResults(store)).sort()).toEqual(["Expired", "OtherSession"]);
    expect((await store.list()).map((m) => m.key).sort()).toEqual(["Big", "Never"]);
    expect(contentFiles(dir)).toHaveLength(1); // Expired's body went with it
    expect((await clearResults(store, { hard: true })).sort()).toEqual(["Big", "Never"]);
    expect(await store.list()).toEqual([]);
    expect(contentFiles(dir)).toHaveLength(0);
    await store.close();
    expect(await new CacacheStore({ dir }).list()).toEqual([]);
  });

  it("prune expired entries and unreferenced content, reporting what it freed", async () => {
    const dir = join(tempDir(), "store");
    const w = warnings();
    const store = await seeded(dir, { onWarning: w.onWarning });
    await store.close();
    // Bodies no entry refers to, as a crash between writing one and its journal record leaves
    // them. No other store has the folder open, so none can be about to refer to them.
    const root = join(dir, "content");
    const stale = big(9);
    const fresh = big(10);
    for (const body of [stale, fresh]) await cacache.put(root, `lp-body:${digestBytes(body)}`, body, { algorithms: ["sha256"] });
    expect(contentFiles(dir)).toHaveLength(4);

    const pruner = new CacacheStore({ dir, onWarning: w.onWarning });
    const before = await resultsSize(pruner);
    const report = await pruneResults(pruner, NOW);
    expect(report.removed.sort()).toEqual(["Expired", "OtherSession"]);
    expect(report.freedBytes).toBeGreaterThanOrEqual(300_000); // Expired's body and the two unreferenced ones
    expect(report.kept).toBeUndefined();
    expect(await resultsSize(pruner)).toBe(before - report.freedBytes);
    expect(await cacache.get.hasContent(root, digestBytes(stale))).toBe(false);
    expect(await cacache.get.hasContent(root, digestBytes(fresh))).toBe(false);
    expect(contentFiles(dir)).toHaveLength(1); // Big's
    expect((await pruner.list()).map((m) => m.key).sort()).toEqual(["Big", "Later", "Never"]);
    expect(Buffer.compare((await pruner.get("Big"))!.body, big(2))).toBe(0);
    expect(w.list).toEqual([]);
  });

  it("prune removes an entry whose body fails verification", async () => {
    const dir = join(tempDir(), "store");
    const w = warnings();
    const store = await seeded(dir, { onWarning: w.onWarning });
    writeFileSync((await store.inspect("Big"))!.file!, big(7));
    const report = await store.prune(NOW);
    expect(report.removed.sort()).toEqual(["Big", "Expired", "OtherSession"]);
    expect(w.list.map((x) => [x.problem, x.key])).toEqual([["body-corrupt", "Big"]]);
    expect(await store.has("Big")).toBe(false);
  });

  it("report total size on disk (core's resultsSize)", async () => {
    const dir = join(tempDir(), "store");
    const store = await seeded(dir);
    const size = await resultsSize(store);
    expect(size).toBeGreaterThan(200_000);
    await store.put("More", big(5, 300_000), sampleMeta("More", big(5, 300_000)));
    expect(await resultsSize(store)).toBeGreaterThanOrEqual(size + 300_000);
  });

  it("stream a big body, verified as it goes", async () => {
    const store = await seeded();
    const { meta, stream } = (await store.stream("Big"))!;
    expect(meta.key).toBe("Big");
    expect(await text(stream)).toBe(big(2).toString());
    const inline = (await store.stream("Never"))!;
    expect(await text(inline.stream)).toBe("n");
    writeFileSync((await store.inspect("Big"))!.file!, big(8));
    await expect(text((await store.stream("Big"))!.stream)).rejects.toMatchObject({ code: "EINTEGRITY" });
    expect(await store.stream("Nothing")).toBeUndefined();
  });
});

describe("maxSize", () => {
  const meta = (k: string, b: Buffer) => sampleMeta(k, b);

  it("evicts the least recently used results first, never the one just stored", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir, maxSize: 350_000 });
    for (const k of ["A", "B", "C"]) await store.put(k, big(1, 100_000), meta(k, big(1, 100_000)));
    await store.get("A"); // A is now used more recently than B
    await store.put("D", big(4, 100_000), meta("D", big(4, 100_000)));
    expect((await store.list()).map((m) => m.key).sort()).toEqual(["A", "C", "D"]);
    await store.put("Huge", big(5, 500_000), meta("Huge", big(5, 500_000)));
    expect((await store.list()).map((m) => m.key)).toEqual(["Huge"]);
    expect(contentFiles(dir)).toHaveLength(1);
  });

  it("remembers use across sessions", async () => {
    const dir = join(tempDir(), "store");
    const first = new CacacheStore({ dir, maxSize: 1e9 });
    for (const k of ["A", "B", "C"]) await first.put(k, big(1, 100_000), meta(k, big(1, 100_000)));
    await first.close();
    const second = new CacacheStore({ dir, maxSize: 1e9 });
    await second.getMeta("A");
    await second.close();
    const third = new CacacheStore({ dir, maxSize: 250_000 });
    await third.open();
    expect((await third.list()).map((m) => m.key).sort()).toEqual(["A", "C"]);
  });
});

describe("several store instances on one folder", () => {
  it("see each other's writes after open() (as at the start of each run)", async () => {
    const dir = join(tempDir(), "store");
    const a = new CacacheStore({ dir });
    const b = new CacacheStore({ dir });
    await a.put("X", small("from a"), meta("X", "from a"));
    await b.open();
    expect((await b.get("X"))!.body.toString()).toBe("from a");
    await b.put("X", small("from b"), meta("X", "from b"));
    await b.delete("X");
    await b.put("Y", small("y"), meta("Y", "y"));
    await a.open();
    expect(await a.has("X")).toBe(false);
    expect((await a.get("Y"))!.body.toString()).toBe("y");
    await a.clear();
    await b.open();
    expect(await b.list()).toEqual([]);
  });

  it("compaction folds closed journal files without losing or resurrecting anything", async () => {
    const dir = join(tempDir(), "store");
    for (let round = 0; round < 6; round++) {
      const s = new CacacheStore({ dir });
      await s.put(`K${round}`, small(`v${round}`), meta(`K${round}`, `v${round}`));
      await s.put("Shared", small(`shared ${round}`), meta("Shared", `shared ${round}`));
      if (round > 0) await s.delete(`K${round - 1}`);
      await s.close();
    }
    const journal = () => readdirSync(join(dir, "journal")).filter((f) => f.endsWith(".lpj"));
    expect(journal().length).toBeLessThan(6);
    const live = new CacacheStore({ dir });
    await live.put("Live", small("live"), meta("Live", "live"));
    await live.compact();
    const check = new CacacheStore({ dir });
    expect((await check.list()).map((m) => m.key).sort()).toEqual(["K5", "Live", "Shared"]);
    expect((await check.get("Shared"))!.body.toString()).toBe("shared 5");
    await live.close();
    await check.compact();
    expect(journal()).toHaveLength(1);
    expect((await new CacacheStore({ dir }).list()).map((m) => m.key).sort()).toEqual(["K5", "Live", "Shared"]);
  });

  function meta(key: string, text: string) {
    return sampleMeta(key, small(text));
  }
});
