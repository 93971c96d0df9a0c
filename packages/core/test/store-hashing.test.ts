import { describe, expect, it } from "vitest";
import { MemoryStore, type ResultMeta, task } from "../src/index.js";
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
  /** How its next putHashing of this key fails: after telling the digest, before, or by never telling it. */
  failing = new Map<string, "after" | "before" | "never">();

  async putHashing(key: string, body: Uint8Array, metaFor: MetaFor): Promise<string> {
    this.hashed.push(key);
    const copy = new Uint8Array(body);
    await new Promise((r) => setImmediate(r));
    const how = this.failing.get(key);
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
