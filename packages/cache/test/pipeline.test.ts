import { Pipeline, Task } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { recordingLogger, tempDir, warnings } from "./helpers.js";

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

function richValue() {
  const value: Record<string, unknown> = {
    text: "ünïcode ✓",
    numbers: [0, -1.5, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY],
    nested: { deep: { deeper: [null, true, "x"] } },
    map: new Map<unknown, unknown>([
      ["a", 1],
      [2, { b: [3] }],
    ]),
    set: new Set(["x", 1, 2n]),
    date: new Date("2024-02-29T12:34:56.789Z"),
    regexp: /^a+b*$/giu,
    bigint: 12345678901234567890n,
    buffer: Buffer.from("bytes \x00\xff"),
    u8: new Uint8Array([1, 2, 255]),
    f64: new Float64Array([1.5, -0]),
    i32: new Int32Array([-1, 2 ** 31 - 1]),
    big: Buffer.alloc(100 * 1024, 3), // goes to the content store
  };
  value.self = value; // circular
  return value;
}

function build(dir: string, options: { expireResultsIfNone?: boolean } = {}) {
  const log = recordingLogger();
  const w = warnings();
  const store = new CacacheStore({ dir, onWarning: w.onWarning });
  const pipeline = new Pipeline("RoundTrip", { store, logger: log.provider, ...options });
  return { pipeline, store, log, warnings: w.list };
}

describe("results through a real pipeline on the store", () => {
  it("round-trip exactly with structured serialization, across store instances", async () => {
    const dir = tempDir();
    const tasks = () => [new Task("Rich", { run: () => richValue() }), new Task("Uses", { dependencies: ["Rich"], async run() {
      const rich = await this.result<ReturnType<typeof richValue>>("Rich");
      return (rich.map as Map<unknown, unknown>).get(2);
    } })];
    const first = build(dir);
    first.pipeline.add(tasks());
    expect((await first.pipeline.execute()).totals.executed).toBe(2);
    await first.pipeline.close();

    const second = build(dir);
    second.pipeline.add(tasks());
    const summary = await second.pipeline.execute();
    expect(summary.totals.cached).toBe(2);
    const got = await second.pipeline.getResult<Record<string, unknown>>("Rich");
    const expected = richValue();
    expect(got.self).toBe(got);
    expect(got).toEqual(expected);
    expect(got.map).toBeInstanceOf(Map);
    expect(got.set).toBeInstanceOf(Set);
    expect(got.date).toBeInstanceOf(Date);
    expect((got.regexp as RegExp).flags).toBe("giu");
    expect(typeof got.bigint).toBe("bigint");
    expect(Buffer.isBuffer(got.buffer) || got.buffer instanceof Uint8Array).toBe(true);
    expect(got.f64).toBeInstanceOf(Float64Array);
    expect(Object.is((got.f64 as Float64Array)[1], -0)).toBe(true);
    expect(await second.pipeline.getResult("Uses")).toEqual({ b: [3] });
    expect((await second.store.inspect("Rich"))!.storedIn).toBe("content");
    expect(second.warnings).toEqual([]);
    await second.pipeline.close();
  });

  it("a result that cannot be stored fails its task, naming it and the value, and the rest carries on", async () => {
    const dir = tempDir();
    const { pipeline, store, log } = build(dir);
    pipeline.add(
      new Task("Fn", { run: () => ({ ok: 1, callback: () => 1 }) }),
      new Task("Instance", { run: () => [new Point(1, 2)] }),
      new Task("AfterFn", { dependencies: ["Fn"], run: () => 1 }),
      new Task("Fine", { run: () => "fine" }),
    );
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(false);
    const byName = Object.fromEntries(summary.tasks.map((t) => [t.name, t]));
    expect(byName.Fn!.state).toBe("failed");
    expect(byName.Fn!.error).toMatchObject({ code: "LP_SERIALIZATION" });
    expect(byName.Fn!.error!.message).toMatch(/Task "Fn".*result\.callback is a function/);
    expect(byName.Instance!.error!.message).toMatch(/Task "Instance".*instance of Point/);
    expect(byName.AfterFn!.state).toBe("upstream-failed");
    expect(byName.Fine!.state).toBe("executed");
    expect(log.failed.map((f) => f.task).sort()).toEqual(["AfterFn", "Fn", "Instance"]);
    expect((await store.list()).map((m) => m.key)).toEqual(["Fine"]);
    await pipeline.close();
  });
});

describe("empty results (the seed's expire_results_if_none)", () => {
  const tasks = () => [
    new Task("Undefined", { run: () => undefined }),
    new Task("Null", { run: () => null }),
    new Task("Zero", { run: () => 0 }),
  ];

  it("are dropped when the run completes, so those tasks run again next time", async () => {
    const dir = tempDir();
    const first = build(dir);
    first.pipeline.add(tasks());
    await first.pipeline.execute();
    const metas = Object.fromEntries((await first.store.list()).map((m) => [m.key, m]));
    expect(metas.Undefined!.expiresAt).not.toBeNull();
    expect(metas.Null!.expiresAt).not.toBeNull();
    expect(metas.Zero!.expiresAt).toBeNull();
    await first.pipeline.close();

    const second = build(dir);
    second.pipeline.add(tasks());
    await second.pipeline.execute();
    expect(second.log.executed.sort()).toEqual(["Null", "Undefined"]);
    expect(second.log.cached).toEqual(["Zero"]);
    await second.pipeline.close();
  });

  it("are kept with expireResultsIfNone: false", async () => {
    const dir = tempDir();
    const first = build(dir, { expireResultsIfNone: false });
    first.pipeline.add(tasks());
    await first.pipeline.execute();
    await first.pipeline.close();
    const second = build(dir, { expireResultsIfNone: false });
    second.pipeline.add(tasks());
    await second.pipeline.execute();
    expect(second.log.executed).toEqual([]);
    expect(second.log.cached.sort()).toEqual(["Null", "Undefined", "Zero"]);
    expect(await second.pipeline.getResult("Null")).toBeNull();
    await second.pipeline.close();
  });
});

describe("a big Buffer result read back in the process that stored it", () => {
  it("is a copy of the stored bytes, whatever the task's own Buffer and earlier readers' copies became", async () => {
    const dir = tempDir();
    const { pipeline, warnings: warned } = build(dir);
    const size = 9 * 1024 * 1024 + 7; // written in several pieces
    const buf = Buffer.alloc(size, 1);
    pipeline.add(new Task("Bytes", { run: () => buf }));
    expect((await pipeline.execute()).ok).toBe(true);
    buf.fill(7, size - 10);
    const got = await pipeline.getResult<Buffer>("Bytes");
    expect(got === buf).toBe(false);
    expect(got.equals(Buffer.alloc(size, 1))).toBe(true);
    got.fill(8);
    expect((await pipeline.getResult<Buffer>("Bytes")).equals(Buffer.alloc(size, 1))).toBe(true);
    expect(warned).toEqual([]);
    await pipeline.close();
  });
});

describe("a big result, hashed by the store as it writes it", () => {
  const size = 9 * 1024 * 1024 + 7; // copied and written in several pieces
  const made = () => {
    const buf = Buffer.alloc(size, 1);
    for (let i = 0; i + 4 <= size; i += 4096) buf.writeUInt32LE(i, i);
    return buf;
  };
  const tasks = () => [
    new Task("Bytes", { run: () => made() }),
    new Task("Length", {
      dependencies: ["Bytes"],
      async run() {
        return (await this.result<Buffer>("Bytes")).byteLength;
      },
    }),
  ];

  it("is stored under core's digest, fresh for the next run, and its dependent records that digest", async () => {
    const dir = tempDir();
    const first = build(dir);
    const hashed: string[] = [];
    const putHashing = first.store.putHashing.bind(first.store);
    first.store.putHashing = (key, body, metaFor) => (hashed.push(key), putHashing(key, body, metaFor));
    first.pipeline.add(...tasks());
    expect((await first.pipeline.execute()).ok).toBe(true);
    expect(hashed).toEqual(["Bytes"]);
    const meta = (await first.store.getMeta("Bytes"))!;
    expect(meta.digest).toBe(digestBytes(made()));
    expect(meta.size).toBe(size);
    expect((await first.store.getMeta("Length"))!.components.upstream).toEqual({ Bytes: meta.digest });
    expect(await first.pipeline.getResult("Length")).toBe(size);
    await first.pipeline.close();

    const second = build(dir);
    second.pipeline.add(...tasks());
    expect((await second.pipeline.execute()).totals.cached).toBe(2);
    expect((await second.pipeline.getResult<Buffer>("Bytes")).equals(made())).toBe(true);
    expect(second.warnings).toEqual([]);
    await second.pipeline.close();
  });
});
