import { describe, expect, it } from "vitest";
import { MemoryStore, type ResultMeta, Task, task } from "../src/index.js";
import { digestBytes } from "../src/internal.js";
import { storeConformance } from "../src/conformance.js";
import { quietPipeline } from "./helpers.js";

type MetaFor = (digest: string) => ResultMeta;

/**
 * A memory store that hashes what it stores (`putHashing`), as a store on disk does while
 * writing: from a copy of its own, told to core before the put resolves.
 */
class HashingStore extends MemoryStore {
  hashed: string[] = [];
  puts: string[] = [];
  /** How its next putHashing of this key (`M[*]`: any branch of M) fails: after telling the digest, before, or by never telling it. */
  failing = new Map<string, "after" | "before" | "never">();

  async putHashing(key: string, body: Uint8Array, metaFor: MetaFor): Promise<string> {
    this.hashed.push(key);
    const copy = new Uint8Array(body);
    await new Promise((r) => setImmediate(r));
    const how = this.failing.get(key) ?? this.failing.get(key.replace(/\[.*/, "[*]"));
    if (how === "before") throw new Error("its bytes changed while they were being stored");
    if (how === "never") return "sha256-nothing";
    const digest = digestBytes(copy);
    const meta = metaFor(digest);
    await new Promise((r) => setImmediate(r));
    if (how === "after") throw new Error("disk full");
    await super.put(key, copy, meta);
    return digest;
  }

  override async put(key: string, body: Uint8Array, meta: ResultMeta): Promise<void> {
    this.puts.push(key);
    return super.put(key, body, meta);
  }
}

storeConformance(it, { create: () => new HashingStore() });

const MiB = 1024 * 1024;
const big = (fill: number) => Buffer.alloc(2 * MiB + 5, fill);

function pipelineOf(store: HashingStore, name: string) {
  const { pipeline } = quietPipeline(name, { store });
  const ran: string[] = [];
  const a = task("A", { run: () => (ran.push("A"), big(1)) });
  const b = task("B", {
    dependencies: [a],
    async run() {
      ran.push("B");
      return (await this.result(a)).byteLength;
    },
  });
  const small = task("Small", { run: () => (ran.push("Small"), "a few bytes") });
  pipeline.add(a, b, small);
  return { pipeline, ran };
}

describe("a big result, with a store that hashes what it stores", () => {
  it("is hashed by the store, not by core: the digest is core's all the same, dependents record it, and the next run finds all fresh", async () => {
    const store = new HashingStore();
    const first = pipelineOf(store, "Hashing");
    const summary = await first.pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(store.hashed).toEqual(["A"]);
    expect(store.puts.sort()).toEqual(["B", "Small"]);
    const stored = (await store.get("A"))!;
    expect(stored.meta.digest).toBe(digestBytes(stored.body));
    expect(stored.meta.size).toBe(2 * MiB + 5);
    expect(summary.tasks.find((t) => t.name === "A")).toMatchObject({ digest: stored.meta.digest, size: 2 * MiB + 5 });
    expect((await store.getMeta("B"))!.components.upstream).toEqual({ A: stored.meta.digest });
    expect(await first.pipeline.getResult("B")).toBe(2 * MiB + 5);

    const again = pipelineOf(store, "Hashing");
    expect((await again.pipeline.execute()).totals.cached).toBe(3);
    expect(again.ran).toEqual([]);
  });

  it("stored by put (a store or a version that does not hash) stays fresh for a store that does, and the other way round", async () => {
    const store = new HashingStore();
    (store as { putHashing?: unknown }).putHashing = undefined;
    await pipelineOf(store, "Both").pipeline.execute();
    expect(store.hashed).toEqual([]);
    delete (store as { putHashing?: unknown }).putHashing;
    const hashing = pipelineOf(store, "Both");
    expect((await hashing.pipeline.execute()).totals.cached).toBe(3);

    // Stored by putHashing, read fresh by a run whose store only has put.
    const other = new HashingStore();
    const wrote = pipelineOf(other, "Both");
    wrote.pipeline.add(task("Touch", { run: () => 0 }));
    await wrote.pipeline.execute();
    expect(other.hashed).toEqual(["A"]);
    (other as { putHashing?: unknown }).putHashing = undefined;
    const plain = pipelineOf(other, "Both");
    expect((await plain.pipeline.execute()).totals.cached).toBe(3);
    expect((await other.getMeta("A"))!.digest).toBe((await store.getMeta("A"))!.digest);
  });

  it("whose save fails before the store knows its digest fails with a StoreError; its dependents never start", async () => {
    for (const how of ["before", "never"] as const) {
      const store = new HashingStore();
      store.failing.set("A", how);
      const { pipeline, ran } = pipelineOf(store, `Fails${how}`);
      const summary = await pipeline.execute();
      const byName = Object.fromEntries(summary.tasks.map((t) => [t.name, t]));
      expect(byName.A).toMatchObject({ state: "failed", error: { code: "LP_STORE" } });
      expect(byName.A!.error!.message).toMatch(how === "before" ? /Task "A": the result could not be stored \(its bytes changed/ : /never computed the body's digest/);
      // What is known of the result without its digest is reported all the same.
      expect(byName.A).toMatchObject({ resultType: `Buffer(${2 * MiB + 5})`, size: 2 * MiB + 5, expiresAt: null });
      expect(byName.B).toMatchObject({ state: "upstream-failed" });
      expect(byName.Small).toMatchObject({ state: "executed" });
      expect(ran.sort()).toEqual(["A", "Small"]);
      expect(await store.has("A")).toBe(false);
    }
  });

  it("whose save fails once dependents started on it keeps nothing computed from it", async () => {
    const store = new HashingStore();
    store.failing.set("A", "after");
    const { pipeline, ran } = pipelineOf(store, "FailsAfter");
    const summary = await pipeline.execute();
    const byName = Object.fromEntries(summary.tasks.map((t) => [t.name, t]));
    expect(byName.A).toMatchObject({ state: "failed", error: { code: "LP_STORE" } });
    expect(byName.A!.error!.message).toMatch(/disk full/);
    expect(ran).toContain("B");
    expect(byName.B).toMatchObject({ state: "upstream-failed", error: { code: "LP_DEPENDENCY_FAILURE" } });
    expect(await store.has("A")).toBe(false);
    expect(await store.has("B")).toBe(false);

    store.failing.clear();
    const again = pipelineOf(store, "FailsAfter");
    expect((await again.pipeline.execute()).ok).toBe(true);
    expect(again.ran.sort()).toEqual(["A", "B"]);
  });
});

describe("a mapped task's big branch results, with a store that hashes what it stores", () => {
  /** M maps over [0, 1, 2 …] (`count` items): branch 1's result is big, the others small. */
  function mappedOf(store: HashingStore, name: string, count = 3) {
    const { pipeline } = quietPipeline(name, { store });
    const ran: number[] = [];
    // The list's length is its version: a longer list is a new result, the rest unchanged.
    const items = task("Items", { version: count, run: () => Array.from({ length: count }, (_, i) => i) });
    const m = new Task("M", {
      map: items,
      onBranchError: "skip",
      run() {
        ran.push(this.item as number);
        return this.item === 1 ? big(7) : `small ${this.item}`;
      },
    });
    pipeline.add(items, m);
    return { pipeline, ran };
  }
  const branchKeys = (keys: string[]) => keys.filter((k) => k.startsWith("M["));

  it("are hashed by the store, small ones by core; the digests are core's, and the next run reuses each branch", async () => {
    const store = new HashingStore();
    const first = mappedOf(store, "MappedHashing");
    expect((await first.pipeline.execute()).ok).toBe(true);
    const hashedBranches = branchKeys(store.hashed);
    expect(hashedBranches).toHaveLength(1);
    expect(branchKeys(store.puts)).toHaveLength(2);
    for (const key of [...hashedBranches, ...branchKeys(store.puts)]) {
      const stored = (await store.get(key))!;
      expect(stored.meta.digest).toBe(digestBytes(stored.body));
      expect(stored.meta.size).toBe(stored.body.byteLength);
    }
    expect((await store.get(hashedBranches[0]!))!.meta.size).toBe(2 * MiB + 5);
    const value = (await first.pipeline.getResult("M")) as unknown[];
    expect(value[0]).toBe("small 0");
    expect(Buffer.from(value[1] as Uint8Array).equals(big(7))).toBe(true);

    // One more item: M runs again, and only the new item's branch runs.
    const again = mappedOf(store, "MappedHashing", 4);
    const summary = await again.pipeline.execute();
    expect(summary.tasks.find((t) => t.name === "M")!.branches).toMatchObject({ total: 4, ran: 1, cached: 3, failed: [] });
    expect(again.ran).toEqual([3]);
    expect(Buffer.from(((await again.pipeline.getResult("M")) as unknown[])[1] as Uint8Array).equals(big(7))).toBe(true);
  });

  it("a branch the store fails to hash or store fails, not retried, naming the task and the branch; the others are kept", async () => {
    for (const how of ["before", "never", "after"] as const) {
      const store = new HashingStore();
      store.failing.set("M[*]", how);
      const { pipeline, ran } = mappedOf(store, `MappedFails${how}`);
      const summary = await pipeline.execute();
      const m = summary.tasks.find((t) => t.name === "M")!;
      expect(m.branches?.failed.map((f) => f.label)).toEqual(["M[1]"]);
      const message = m.branches!.failed[0]!.message;
      expect(message).toMatch(/^Task "M": branch M\[1\] could not be stored \(/);
      expect(message).toMatch(how === "before" ? /its bytes changed/ : how === "never" ? /never computed the body's digest/ : /disk full/);
      expect(ran.sort()).toEqual([0, 1, 2]);
      expect(await pipeline.getResult("M")).toEqual(["small 0", "small 2"]);
    }
  });
});
