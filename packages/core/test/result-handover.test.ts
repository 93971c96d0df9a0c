import { describe, expect, it } from "vitest";
import { KEEP_VALUES_UP_TO } from "../src/task/outcome.js";
import { task } from "../src/index.js";
import { CountingStore, quietPipeline } from "./helpers.js";

/** Records whose MessagePack form is well over the size kept as `task.result`. */
const bigRows = () => Array.from({ length: Math.ceil(KEEP_VALUES_UP_TO / 40) }, (_, i) => ({ i, payload: `row-${i}-${"x".repeat(24)}` }));

describe("a result produced in this run is read by its dependents from memory", () => {
  it("the last dependent to read a big result gets the value the task returned; an earlier one gets its own copy, and mutating it changes nothing for the other", async () => {
    const store = new CountingStore();
    const { pipeline } = quietPipeline("Handover", { store });
    let produced: unknown;
    const seen: Record<string, { same: boolean; first: unknown; length: number }> = {};
    const big = task("Big", {
      run: () => {
        produced = bigRows();
        return produced;
      },
    });
    const first = task("First", {
      dependencies: [big],
      run: async function () {
        const rows = (await this.result(big)) as { i: number; payload: string }[];
        seen.First = { same: rows === produced, first: { ...rows[0] }, length: rows.length };
        rows[0]!.payload = "changed by First";
        rows.length = 1;
        return 1;
      },
    });
    const last = task("Last", {
      dependencies: [big, first],
      run: async function () {
        const rows = (await this.result(big)) as { i: number; payload: string }[];
        seen.Last = { same: rows === produced, first: { ...rows[0] }, length: rows.length };
        const again = (await this.result(big)) as unknown[];
        return again === rows ? "shared twice" : "a copy the second time";
      },
    });
    pipeline.add(big, first, last);
    const gets = store.gets;
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    // Neither dependent read the store: both read the bytes the run held, or the value itself.
    expect(store.gets).toBe(gets);
    const expectedFirst = { i: 0, payload: `row-0-${"x".repeat(24)}` };
    expect(seen.First).toEqual({ same: false, first: expectedFirst, length: (produced as unknown[]).length });
    expect(seen.Last).toEqual({ same: true, first: expectedFirst, length: (produced as unknown[]).length });
    expect(await pipeline.getResult(last)).toBe("a copy the second time");
    const stored = (await pipeline.getResult(big)) as unknown[];
    expect(stored).toHaveLength((produced as unknown[]).length);
    expect(stored[0]).toEqual(expectedFirst);
  });

  it("a small result is copied to every dependent: the value the task returned stays as it was", async () => {
    const { pipeline } = quietPipeline("Small");
    const value = { rows: [{ i: 1 }] };
    const small = task("Small", { run: () => value });
    const reader = task("Reader", {
      dependencies: [small],
      run: async function () {
        const got = (await this.result(small)) as typeof value;
        got.rows[0]!.i = 99;
        return got === value;
      },
    });
    pipeline.add(small, reader);
    await pipeline.execute();
    expect(await pipeline.getResult(reader)).toBe(false);
    expect(value.rows[0]!.i).toBe(1);
    expect(await pipeline.getResult(small)).toEqual({ rows: [{ i: 1 }] });
  });

  it("a Buffer result is stored as it is; each dependent reading it from memory gets a copy, so a mutation never reaches the other nor the store", async () => {
    const store = new CountingStore();
    const { pipeline } = quietPipeline("Bytes", { store });
    const bytes = task("Bytes", { run: () => Buffer.from("original") });
    const readers = ["A", "B", "C"].map((name) =>
      task(name, {
        dependencies: [bytes],
        run: async function () {
          const b = (await this.result(bytes)) as Buffer;
          const before = b.toString();
          b.write("XX");
          return before;
        },
      }),
    );
    pipeline.add(bytes, ...readers);
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    for (const r of readers) expect(await pipeline.getResult(r)).toBe("original");
    expect((await pipeline.getResult(bytes)).toString()).toBe("original");
    expect((await store.getMeta("Bytes"))?.serializer).toBe("bytes");
  });

  it("a Buffer inside a value stored in the v8 format is not shared between readers either", async () => {
    const { pipeline } = quietPipeline("V8Bytes");
    const shared = Buffer.from("original");
    // Reached twice: stored in the v8 format, whose Buffers read back as views of the bytes.
    const twice = task("Twice", { run: () => ({ a: shared, b: shared }) });
    const readers = ["A", "B", "C"].map((name) =>
      task(name, {
        dependencies: [twice],
        run: async function () {
          const got = (await this.result(twice)) as { a: Buffer; b: Buffer };
          const before = got.a.toString();
          got.a.write("XX");
          return [before, got.a === got.b];
        },
      }),
    );
    pipeline.add(twice, ...readers);
    await pipeline.execute();
    for (const r of readers) expect(await pipeline.getResult(r)).toEqual(["original", true]);
  });
});

describe("getResult() right after a run", () => {
  it("reads a big result the run stored from memory, not the store, while it is still the stored version", async () => {
    const store = new CountingStore();
    const { pipeline } = quietPipeline("Recent", { store });
    const rows = task("Rows", { run: () => Array.from({ length: 100_000 }, (_, i) => ({ i, payload: `p${i}` })) });
    pipeline.add(rows);
    await pipeline.execute();
    const gets = store.gets;
    const first = (await pipeline.getResult(rows)) as { i: number }[];
    expect(store.gets).toBe(gets);
    expect(first).toHaveLength(100_000);
    first[0]!.i = -1;
    expect(((await pipeline.getResult(rows)) as { i: number }[])[0]!.i).toBe(0);

    // Another pipeline on the same store replaces it: the stored version is read.
    const other = quietPipeline("Recent", { store }).pipeline;
    other.add(task("Rows", { run: () => ["replaced"] }));
    await other.execute({ force: true });
    expect(await pipeline.getResult(rows)).toEqual(["replaced"]);
  });

  it("a big Buffer result is given as a copy of the stored bytes, whatever the task's own Buffer and earlier readers' copies became", async () => {
    const { pipeline } = quietPipeline("RecentBytes");
    const buf = Buffer.alloc(2 * 1024 * 1024, 1);
    const bytes = task("Bytes", { run: () => buf });
    pipeline.add(bytes);
    await pipeline.execute();
    const got = (await pipeline.getResult(bytes)) as Buffer;
    expect(got === buf).toBe(false);
    expect(got.equals(buf)).toBe(true);
    buf.fill(7);
    got.fill(8);
    const again = (await pipeline.getResult(bytes)) as Buffer;
    expect(again.equals(Buffer.alloc(2 * 1024 * 1024, 1))).toBe(true);
  });

  it("a big Buffer the task changes after returning it is never read back changed", async () => {
    const { pipeline } = quietPipeline("ChangedBytes");
    const buf = Buffer.alloc(2 * 1024 * 1024, 1);
    const bytes = task("Bytes", { run: () => buf });
    pipeline.add(bytes);
    await pipeline.execute();
    buf.fill(7, 1024 * 1024);
    const got = (await pipeline.getResult(bytes)) as Buffer;
    expect(got.equals(Buffer.alloc(2 * 1024 * 1024, 1))).toBe(true);
  });

  it("with a store that does not read locally, a big Buffer result comes from the task's Buffer while unchanged, and from the store once changed", async () => {
    class RemoteLikeStore extends CountingStore {
      override readonly readsLocally = false;
    }
    const store = new RemoteLikeStore();
    const { pipeline } = quietPipeline("RemoteBytes", { store });
    const buf = Buffer.alloc(2 * 1024 * 1024, 1);
    const bytes = task("Bytes", { run: () => buf });
    pipeline.add(bytes);
    await pipeline.execute();
    const gets = store.gets;
    const got = (await pipeline.getResult(bytes)) as Buffer;
    expect(store.gets).toBe(gets);
    expect(got === buf).toBe(false);
    expect(got.equals(buf)).toBe(true);
    got.fill(8);
    buf.fill(7, 1024 * 1024);
    const again = (await pipeline.getResult(bytes)) as Buffer;
    expect(store.gets).toBe(gets + 1);
    expect(again.equals(Buffer.alloc(2 * 1024 * 1024, 1))).toBe(true);
  });

  it("with a store that reads locally, a big Buffer result is read back from the store", async () => {
    const store = new CountingStore();
    const { pipeline } = quietPipeline("LocalBytes", { store });
    const bytes = task("Bytes", { run: () => Buffer.alloc(2 * 1024 * 1024, 1) });
    pipeline.add(bytes);
    await pipeline.execute();
    const gets = store.gets;
    expect(((await pipeline.getResult(bytes)) as Buffer).equals(Buffer.alloc(2 * 1024 * 1024, 1))).toBe(true);
    expect(store.gets).toBe(gets + 1);
  });
});
