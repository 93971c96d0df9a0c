import { readFileSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Pipeline, Task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { CacacheStore, type CacheIntegrityWarning } from "../src/index.js";
import { parseChunk } from "../src/journal/parse.js";
import { Kind, type PutRecord } from "../src/journal/record.js";
import { recordingLogger, tempDir, warnings } from "./helpers.js";

const BIG = 200 * 1024; // above the inline limit: kept in the content store

/** A small pipeline: A (big result), B (small), C reads both, D stands alone. */
function build(dir: string, onWarning: (w: CacheIntegrityWarning) => void) {
  const log = recordingLogger();
  const store = new CacacheStore({ dir, onWarning });
  const a = new Task("A", { run: () => Buffer.alloc(BIG, 7) });
  const b = new Task("B", { run: () => ({ small: "result of B" }) });
  const c = new Task("C", {
    dependencies: ["A", "B"],
    async run() {
      const big = await this.result<Buffer>("A");
      const small = await this.result<{ small: string }>("B");
      return `${big.length} ${small.small}`;
    },
  });
  const d = new Task("D", { run: () => 42 });
  const pipeline = new Pipeline("Corruption", { store, logger: log.provider, concurrency: 1 }).add(a, b, c, d);
  return { pipeline, store, log };
}

async function firstRun(dir: string) {
  const { pipeline } = build(dir, () => {});
  const summary = await pipeline.execute();
  expect(summary.totals.executed).toBe(4);
  await pipeline.close();
}

const journalFiles = (dir: string) => readdirSync(join(dir, "journal")).filter((n) => n.endsWith(".lpj"));

function flipByte(file: string, at: (data: Buffer) => number): void {
  const data = readFileSync(file);
  const i = at(data);
  expect(i).toBeGreaterThanOrEqual(0);
  data[i]! ^= 0x5a;
  writeFileSync(file, data);
}

describe("a corrupted result body", () => {
  it("is reported, never returned, and only its task runs again", async () => {
    const dir = tempDir();
    await firstRun(dir);
    const file = (await new CacacheStore({ dir }).inspect("A"))!.file!;
    flipByte(file, (data) => data.length >> 1);

    const w = warnings();
    const { pipeline, store, log } = build(dir, w.onWarning);
    expect((await store.inspect("A"))!.body).toBe("corrupt");
    await expect(pipeline.getResult("A")).rejects.toMatchObject({ code: "LP_RESULT_UNREADABLE", message: expect.stringContaining("failed verification") });
    expect(w.list).toHaveLength(1);
    expect(w.list[0]).toMatchObject({ code: "LP_CACHE_INTEGRITY", problem: "body-corrupt", key: "A", file });
    expect(w.list[0]!.message).toContain('"A"');

    const summary = await pipeline.execute();
    expect(log.executed).toEqual(["A"]);
    expect(log.cached.sort()).toEqual(["B", "C", "D"]);
    expect(summary.ok).toBe(true);
    expect((await pipeline.getResult<Buffer>("A")).equals(Buffer.alloc(BIG, 7))).toBe(true);
    await pipeline.close();
  });

  it("read by a dependent makes the task run again, in the same run", async () => {
    const dir = tempDir();
    await firstRun(dir);
    const file = (await new CacacheStore({ dir }).inspect("A"))!.file!;
    truncateSync(file, 1000);

    const w = warnings();
    const { pipeline, log } = build(dir, w.onWarning);
    const summary = await pipeline.execute({ forceTasks: ["C"] });
    expect(summary.ok).toBe(true);
    expect(log.executed.sort()).toEqual(["A", "C"]);
    expect(log.cached.sort()).toEqual(["A", "B", "D"]); // A looked fresh by its metadata, until C read it
    expect(w.list.map((x) => x.problem)).toEqual(["body-corrupt"]);
    expect(await pipeline.getResult("C")).toBe(`${BIG} result of B`);
    await pipeline.close();
  });

  it("that has disappeared is reported as missing", async () => {
    const dir = tempDir();
    await firstRun(dir);
    const store = new CacacheStore({ dir });
    const { file } = (await store.inspect("A"))!;
    await store.close();
    writeFileSync(file!, ""); // as good as gone: wrong size
    const w = warnings();
    const again = new CacacheStore({ dir, onWarning: w.onWarning });
    expect(await again.get("A")).toBeUndefined();
    expect(await again.has("A")).toBe(false);
    expect(w.list.map((x) => x.problem)).toEqual(["body-corrupt"]);
    expect(await again.get("B")).toBeDefined();
  });
});

describe("a damaged journal", () => {
  it("treats every result stored before the damaged record as missing, never the version it may have replaced", async () => {
    const dir = tempDir();
    await firstRun(dir);
    const [segment] = journalFiles(dir);
    const file = join(dir, "journal", segment!);
    // Records are in the order their saves finished: damage the second put.
    const records = parseChunk(readFileSync(file)).records.filter((r): r is PutRecord => r.kind === Kind.Put);
    const damaged = records[1]!;
    const written = (key: string) => records.find((r) => r.key === key)!.seq;
    const nextSeq = records[2]!.seq;
    flipByte(file, (data) => data.indexOf(`"key":"${damaged.key}"`) + 3);

    const w = warnings();
    const { pipeline, store, log } = build(dir, w.onWarning);
    // The damaged record could have been anything written before the next one: a delete of any key.
    const missing = ["A", "B", "C", "D"].filter((k) => written(k) < nextSeq);
    expect(missing).toEqual([records[0]!.key, damaged.key].sort());
    for (const key of ["A", "B", "C", "D"]) expect(await store.has(key), key).toBe(!missing.includes(key));
    expect(w.list).toHaveLength(1);
    expect(w.list[0]).toMatchObject({ problem: "journal-corrupt", file });
    expect(w.list[0]!.message).toContain("every result stored before it is treated as missing");

    await pipeline.execute();
    expect(log.executed.sort()).toEqual(missing);
    await pipeline.close();
  });

  it("cut short in the middle of a record treats everything written before it as missing", async () => {
    const dir = tempDir();
    await firstRun(dir);
    const [segment] = journalFiles(dir);
    const file = join(dir, "journal", segment!);
    const data = readFileSync(file);
    truncateSync(file, data.lastIndexOf('"key":"') + 3);

    const w = warnings();
    const { pipeline, log } = build(dir, w.onWarning);
    await pipeline.execute();
    expect(w.list.map((x) => x.problem)).toEqual(["journal-torn"]);
    expect(log.executed.sort()).toEqual(["A", "B", "C", "D"]);
    await pipeline.close();
    expect(w.list).toHaveLength(1); // reported once, not on every read
  });
});
