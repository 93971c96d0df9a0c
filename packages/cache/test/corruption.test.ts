import { readFileSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Pipeline, Task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { CacacheStore, type CacheIntegrityWarning } from "../src/index.js";
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
    await expect(pipeline.getResult("A")).rejects.toMatchObject({ code: "LP_NO_RESULT" });
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
  it("loses only the damaged record: a warning, and only that task runs again", async () => {
    const dir = tempDir();
    await firstRun(dir);
    const [segment] = journalFiles(dir);
    const file = join(dir, "journal", segment!);
    flipByte(file, (data) => data.indexOf('"key":"B"') + 3);

    const w = warnings();
    const { pipeline, store, log } = build(dir, w.onWarning);
    expect(await store.has("B")).toBe(false);
    expect(await store.has("A")).toBe(true);
    expect(w.list).toHaveLength(1);
    expect(w.list[0]).toMatchObject({ problem: "journal-corrupt", file });

    await pipeline.execute();
    expect(log.executed).toEqual(["B"]);
    expect(log.cached.sort()).toEqual(["A", "C", "D"]);
    await pipeline.close();
  });

  it("cut short in the middle of a record loses only that record", async () => {
    const dir = tempDir();
    await firstRun(dir);
    const [segment] = journalFiles(dir);
    const file = join(dir, "journal", segment!);
    const data = readFileSync(file);
    const lastPut = data.lastIndexOf('"key":"');
    const lastKey = data.toString("utf8", lastPut + 7, lastPut + 8);
    truncateSync(file, lastPut + 3);

    const w = warnings();
    const { pipeline, log } = build(dir, w.onWarning);
    await pipeline.execute();
    expect(w.list.map((x) => x.problem)).toEqual(["journal-torn"]);
    expect(log.executed).toEqual([lastKey]);
    expect(log.cached).toHaveLength(3);
    await pipeline.close();
    expect(w.list).toHaveLength(1); // reported once, not on every read
  });
});
