import { describe, expect, it } from "vitest";
import { MemoryStore, type PutOptions, type ResultMeta, type Serializer, Task, task } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

/** A memory store that hashes what it stores, as a store on disk does, and notes how each body was handed to it. */
class NotingStore extends MemoryStore {
  handed = new Map<string, { owned: boolean; body: Uint8Array }>();

  async putHashing(key: string, body: Uint8Array, metaFor: (digest: string) => ResultMeta, options?: PutOptions): Promise<string> {
    const { digestBytes } = await import("../src/internal.js");
    this.handed.set(key, { owned: options?.owned === true, body });
    const digest = digestBytes(body);
    await super.put(key, body, metaFor(digest));
    return digest;
  }

  override async put(key: string, body: Uint8Array, meta: ResultMeta, options?: PutOptions): Promise<void> {
    this.handed.set(key, { owned: options?.owned === true, body });
    return super.put(key, body, meta);
  }
}

const MiB = 1024 * 1024;
const rows = () => Array.from({ length: 40_000 }, (_, i) => ({ i, payload: `row-${i}-${"x".repeat(40)}` }));

describe("a body the serializer has just made is handed to the store as owned (written without a copy)", () => {
  it("big and small results the default serializer packs, or gives to the v8 serializer, are owned; a Buffer the task returned and a custom serializer's bytes are not", async () => {
    const store = new NotingStore();
    const { pipeline } = quietPipeline("Owned", { store });
    const buffer = Buffer.alloc(2 * MiB, 7);
    const circular: Record<string, unknown>[] = rows();
    circular.push({ self: circular });
    const custom: Serializer = { name: "custom", serialize: () => new Uint8Array(2 * MiB), deserialize: () => "custom" };
    pipeline.add(
      task("Rows", { run: rows }),
      task("Small", { run: () => ({ a: 1 }) }),
      task("Circular", { run: () => circular }),
      task("Buffer", { run: () => buffer }),
      task("Custom", { serializer: custom, run: () => 1 }),
    );
    const summary = await pipeline.execute();
    expect(summary.totals.executed).toBe(5);
    const owned = Object.fromEntries([...store.handed].map(([k, v]) => [k, v.owned]));
    expect(owned).toEqual({ Rows: true, Small: true, Circular: true, Buffer: false, Custom: false });
    expect(store.handed.get("Rows")!.body.byteLength).toBeGreaterThan(MiB);
    expect(store.handed.get("Circular")!.body.byteLength).toBeGreaterThan(MiB);
    expect(store.handed.get("Buffer")!.body).toBe(buffer);
    // Each reader gets a value of its own, equal to what the task returned.
    const a = (await pipeline.getResult("Rows")) as ReturnType<typeof rows>;
    a[0]!.payload = "changed";
    expect(await pipeline.getResult("Rows")).toEqual(rows());
    const c = (await pipeline.getResult("Circular")) as unknown[];
    expect((c.at(-1) as { self: unknown }).self).toBe(c);
  });

  it("an owned body is never written to by the run: what the store was handed still holds the result after dependents and readers are done", async () => {
    const store = new NotingStore();
    const { pipeline } = quietPipeline("OwnedUntouched", { store });
    const up = task("Up", { run: rows });
    const down = task("Down", {
      dependencies: [up],
      async run() {
        const got = (await this.result(up)) as ReturnType<typeof rows>;
        got[0]!.payload = "changed by Down";
        return got.length;
      },
    });
    pipeline.add(up, down);
    await pipeline.execute();
    const handed = store.handed.get("Up")!;
    expect(handed.owned).toBe(true);
    const stored = await store.get("Up");
    expect(Buffer.compare(Buffer.from(handed.body), Buffer.from(stored!.body))).toBe(0);
    expect(await pipeline.getResult("Up")).toEqual(rows());
  });

  it("a mapped task's branch results are handed over the same way: owned when packed, not when the branch returned a Buffer", async () => {
    const store = new NotingStore();
    const { pipeline } = quietPipeline("OwnedBranches", { store });
    const buffer = Buffer.alloc(2 * MiB, 3);
    const items = task("Items", { run: () => ["rows", "small", "buffer"] });
    pipeline.add(
      items,
      new Task("M", {
        map: items,
        run() {
          return this.item === "rows" ? rows() : this.item === "small" ? { a: 1 } : buffer;
        },
      }),
    );
    expect((await pipeline.execute()).ok).toBe(true);
    const branches = [...store.handed].filter(([k]) => k.startsWith("M["));
    expect(branches).toHaveLength(3);
    const byBody = branches.map(([, v]) => [v.body.byteLength > MiB ? (v.body === buffer ? "buffer" : "rows") : "small", v.owned]);
    expect(Object.fromEntries(byBody)).toEqual({ rows: true, small: true, buffer: false });
    const value = (await pipeline.getResult("M")) as unknown[];
    expect(value[0]).toEqual(rows());
    expect(Buffer.from(value[2] as Uint8Array).equals(buffer)).toBe(true);
  });
});
