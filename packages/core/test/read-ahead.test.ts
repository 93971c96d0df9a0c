import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type EncodeOptions, MemoryStore, type PutOptions, type ResultMeta, type Serializer, msgpackSerializer, task } from "../src/index.js";
import { digestBytes } from "../src/internal.js";
import { quietPipeline, tempDir } from "./helpers.js";

/** A memory store that hashes what it stores and takes a few turns to write it, as a store on disk does. */
class WritingStore extends MemoryStore {
  async putHashing(key: string, body: Uint8Array, metaFor: (digest: string) => ResultMeta, _options?: PutOptions): Promise<string> {
    const digest = digestBytes(body);
    const meta = metaFor(digest);
    // "Writing": the run's thread is free meanwhile.
    await new Promise((r) => setTimeout(r, 20));
    await super.put(key, body, meta);
    return digest;
  }
}

/** The default serializer, counting what it reads back. */
function counting(): Serializer & { reads: number } {
  const s = {
    name: "msgpack",
    reads: 0,
    serialize: (v: unknown) => msgpackSerializer.serialize(v),
    encode: (v: unknown) => msgpackSerializer.encode!(v),
    deserialize(bytes: Uint8Array) {
      s.reads++;
      return msgpackSerializer.deserialize(bytes);
    },
  };
  return s;
}

const rows = () => Array.from({ length: 40_000 }, (_, i) => ({ i, payload: `row-${i}-${"x".repeat(40)}`, at: new Date(i) }));

/**
 * Runs a scenario that expects the value read ahead to be there for the first reader. It is
 * held weakly, so a full garbage collection during the scenario may take it (as it should):
 * a failure is retried only when an object made weakly reachable at the start was collected
 * too, and a failure with no collection in between is a real one.
 */
async function unlessCollected(scenario: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const sentinel = new WeakRef({});
    try {
      await scenario();
      return;
    } catch (error) {
      if (sentinel.deref() !== undefined || attempt === 4) throw error;
    }
  }
}

describe("a big result of the run's last task is read back while it saves", () => {
  it("the first getResult() after the run gets it without reading it again; it is its own, and the next reader reads a fresh copy", async () => {
    await unlessCollected(async () => {
      const serializer = counting();
      const { pipeline } = quietPipeline("Ahead", { store: new WritingStore() });
      let returned: unknown;
      pipeline.add(task("Big", { serializer, run: () => (returned = rows()) }));
      await pipeline.execute();
      expect(serializer.reads).toBe(1);
      const first = (await pipeline.getResult("Big")) as ReturnType<typeof rows>;
      expect(serializer.reads).toBe(1);
      expect(first).toEqual(rows());
      expect(first).not.toBe(returned);
      first[0]!.payload = "changed by the first reader";
      first.length = 2;
      const second = (await pipeline.getResult("Big")) as ReturnType<typeof rows>;
      expect(serializer.reads).toBe(2);
      expect(second).toEqual(rows());
    });
  });

  it("a value the default serializer stores with the v8 serializer (shared references) reads back exactly", async () => {
    const { pipeline } = quietPipeline("AheadV8", { store: new WritingStore() });
    const made = () => {
      const shared = { note: "shared" };
      return { rows: rows(), a: shared, b: shared, minusZero: -0 };
    };
    pipeline.add(task("Big", { run: made }));
    await pipeline.execute();
    const got = (await pipeline.getResult("Big")) as ReturnType<typeof made>;
    expect(got).toEqual(made());
    expect(got.a).toBe(got.b);
    expect(Object.is(got.minusZero, -0)).toBe(true);
  });

  it("is not done while another task of the run is still to finish", async () => {
    const serializer = counting();
    const { pipeline } = quietPipeline("NotAhead", { store: new WritingStore() });
    pipeline.add(
      task("Big", { serializer, run: rows }),
      task("Slow", { run: () => new Promise((r) => setTimeout(() => r(1), 300)) }),
    );
    await pipeline.execute();
    expect(serializer.reads).toBe(0);
    expect(await pipeline.getResult("Big")).toEqual(rows());
    expect(serializer.reads).toBe(1);
  });

  it("is never handed out for a result whose save fails", async () => {
    class FailingStore extends WritingStore {
      override async putHashing(_key: string, body: Uint8Array, metaFor: (digest: string) => ResultMeta): Promise<string> {
        metaFor(digestBytes(body));
        await new Promise((r) => setTimeout(r, 20));
        throw new Error("disk full");
      }
    }
    const serializer = counting();
    const { pipeline } = quietPipeline("Failing", { store: new FailingStore() });
    pipeline.add(task("Big", { serializer, run: rows }));
    const summary = await pipeline.execute();
    expect(summary.totals.failed).toBe(1);
    await expect(pipeline.getResult("Big")).rejects.toMatchObject({ code: "LP_NO_RESULT" });
  });
});

/** The default serializer, counting what it reads back and the copies it is asked for. */
function copying(): Serializer & { reads: number; copies: number } {
  const s = {
    name: "msgpack",
    reads: 0,
    copies: 0,
    serialize: (v: unknown) => msgpackSerializer.serialize(v),
    encode(v: unknown, options?: EncodeOptions) {
      if (options?.copy) s.copies++;
      return msgpackSerializer.encode!(v, options);
    },
    deserialize(bytes: Uint8Array) {
      s.reads++;
      return msgpackSerializer.deserialize(bytes);
    },
  };
  return s;
}

const plainRows = () => Array.from({ length: 40_000 }, (_, i) => ({ i, payload: `row-${i}-${"x".repeat(40)}`, tags: [i % 3, "t"] }));

describe("the last task's big result is read ahead from a copy made while it was encoded", () => {
  it("nothing is decoded for the first reader; what the task does to its value later changes nothing; the next reader decodes its own", async () => {
    await unlessCollected(async () => {
      const serializer = copying();
      const { pipeline } = quietPipeline("Copied", { store: new WritingStore() });
      let returned: ReturnType<typeof plainRows> = [];
      pipeline.add(task("Big", { serializer, run: () => (returned = plainRows()) }));
      await pipeline.execute();
      expect(serializer.copies).toBe(1);
      returned[0]!.payload = "changed by the task's code after the run";
      returned[1]!.tags.push("more");
      returned.length = 3;
      const first = (await pipeline.getResult("Big")) as ReturnType<typeof plainRows>;
      expect(serializer.reads).toBe(0);
      expect(first).toEqual(plainRows());
      expect(first).not.toBe(returned);
      expect(first[1]).not.toBe(returned[1]);
      first[0]!.payload = "changed by the first reader";
      first[2]!.tags.length = 0;
      const second = (await pipeline.getResult("Big")) as ReturnType<typeof plainRows>;
      expect(serializer.reads).toBe(1);
      expect(second).toEqual(plainRows());
      expect(second[2]).not.toBe(first[2]);
    });
  });

  it("is asked for only of a task that finishes alone: not while another is running, nor of one with dependents left", async () => {
    const big = copying();
    const small = copying();
    const { pipeline } = quietPipeline("CopyRule", { store: new WritingStore() });
    pipeline.add(
      task("Big", { serializer: big, run: plainRows }),
      task("Slow", { run: () => new Promise((r) => setTimeout(() => r(1), 300)) }),
      task("Upstream", { serializer: big, run: plainRows }),
      task("Last", { serializer: small, dependencies: ["Upstream", "Slow"], run: () => ({ done: true }) }),
    );
    await pipeline.execute();
    expect(big.copies).toBe(0);
    // The last task's small result gets a copy, unused: it is too small to be read ahead.
    expect(small.copies).toBe(1);
    expect(await pipeline.getResult("Big")).toEqual(plainRows());
    expect(await pipeline.getResult("Last")).toEqual({ done: true });
  });

  it("a getter in the value is read once: what getResult() gives after the run is what was stored", async () => {
    await unlessCollected(async () => {
      const serializer = copying();
      const store = new WritingStore();
      const { pipeline } = quietPipeline("Getter", { store });
      let reads = 0;
      const rows = () => {
        const made: Record<string, unknown>[] = plainRows();
        Object.defineProperty(made[0], "stamp", { enumerable: true, get: () => ++reads });
        return made;
      };
      pipeline.add(task("Big", { serializer, run: rows }));
      await pipeline.execute();
      const first = (await pipeline.getResult("Big")) as Record<string, unknown>[];
      expect(serializer.reads).toBe(0);
      expect(first[0]!.stamp).toBe(1);
      const stored = msgpackSerializer.deserialize((await store.get("Big"))!.body) as Record<string, unknown>[];
      expect(stored[0]!.stamp).toBe(1);
    });
  });
});

describe("reading ahead leaves alone what it should not keep", () => {
  it("a serializer that answers with a promise is left to the reader: its rejection is the reader's, never unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let reads = 0;
      const validating: Serializer = {
        name: "validating",
        serialize: (v) => msgpackSerializer.serialize(v),
        deserialize: async (bytes) => {
          reads++;
          const rows = msgpackSerializer.deserialize(bytes) as unknown[];
          if (rows.length > 1000) throw new Error("schema: too many rows");
          return rows;
        },
      };
      const { pipeline } = quietPipeline("AsyncReader", { store: new WritingStore() });
      pipeline.add(task("Big", { serializer: validating, run: rows }));
      expect((await pipeline.execute()).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      expect(reads).toBe(1);
      expect(unhandled).toEqual([]);
      await expect(pipeline.getResult("Big")).rejects.toThrow("schema: too many rows");
      expect(reads).toBe(2);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("a new run forgets the value read ahead by the last one", async () => {
    const serializer = counting();
    const { pipeline } = quietPipeline("Forgets", { store: new WritingStore() });
    pipeline.add(task("Big", { serializer, run: rows }), task("Small", { run: () => 1 }));
    await pipeline.execute({ only: "Big" });
    expect(serializer.reads).toBe(1);
    // A run that does not save Big: what was read ahead for the previous run is not kept.
    await pipeline.execute({ only: "Small" });
    expect(await pipeline.getResult("Big")).toEqual(rows());
    expect(serializer.reads).toBe(2);
  });
});

const core = pathToFileURL(join(import.meta.dirname, "..", "dist", "index.js")).href;
const internal = pathToFileURL(join(import.meta.dirname, "..", "dist", "internal.js")).href;

/** WritingStore (above) for a child process's script, which imports MemoryStore itself. */
const WRITING_STORE = `import { digestBytes } from ${JSON.stringify(internal)};
class WritingStore extends MemoryStore {
  async putHashing(key, body, metaFor) {
    const digest = digestBytes(body);
    const meta = metaFor(digest);
    await new Promise((r) => setTimeout(r, 20));
    await super.put(key, body, meta);
    return digest;
  }
}`;

/** Writes a script for a child process into a fresh folder; its path. */
function childScript(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

describe("the value read ahead is held weakly", () => {
  it("is not done without room in the heap: runs nobody reads from fit where they did without reading ahead", () => {
    const file = childScript(
      "noread.mjs",
      `import { MemoryStore, Pipeline, task, silentLogger } from ${JSON.stringify(core)};
${WRITING_STORE}
const rows = () => Array.from({ length: 300000 }, (_, k) => ({ k, s: "q".repeat(40) + k, d: { a: k, b: [k, k] } }));
const pipeline = new Pipeline("P", { logger: silentLogger(), store: new WritingStore() }).add(task("Big", { run: rows }));
for (let i = 0; i < 6; i++) {
  await pipeline.execute({ force: true });
  await new Promise((r) => setTimeout(r, 50));
}
console.log("done");
`,
    );
    const run = spawnSync(process.execPath, ["--max-old-space-size=160", file], { encoding: "utf8", timeout: 120_000 });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("done");
  });

  it("a copy is asked for only far from the heap's limit", () => {
    const file = childScript(
      "copies.mjs",
      `import { MemoryStore, Pipeline, task, silentLogger, msgpackSerializer } from ${JSON.stringify(core)};
${WRITING_STORE}
let copies = 0;
const serializer = { name: "msgpack", serialize: (v) => msgpackSerializer.serialize(v), encode: (v, o) => (o?.copy && copies++, msgpackSerializer.encode(v, o)), deserialize: (b) => msgpackSerializer.deserialize(b) };
const rows = () => Array.from({ length: 300000 }, (_, k) => ({ k, s: "q".repeat(40) + k, d: { a: k, b: [k, k] } }));
const pipeline = new Pipeline("P", { logger: silentLogger(), store: new WritingStore() }).add(task("Big", { serializer, run: rows }));
await pipeline.execute();
const got = await pipeline.getResult("Big");
console.log(JSON.stringify({ copies, same: got.length === 300000 && got[299999].s === "q".repeat(40) + 299999 }));
`,
    );
    const small = spawnSync(process.execPath, ["--max-old-space-size=160", file], { encoding: "utf8", timeout: 120_000 });
    expect(small.stderr).toBe("");
    expect(JSON.parse(small.stdout.trim())).toEqual({ copies: 0, same: true });
    const roomy = spawnSync(process.execPath, ["--max-old-space-size=4096", file], { encoding: "utf8", timeout: 120_000 });
    expect(roomy.stderr).toBe("");
    expect(JSON.parse(roomy.stdout.trim())).toEqual({ copies: 1, same: true });
  });

  it("garbage collection drops it when it runs, and getResult() then reads the result again, the same", () => {
    const file = childScript(
      "run.mjs",
      `import { MemoryStore, Pipeline, task, silentLogger, msgpackSerializer } from ${JSON.stringify(core)};
${WRITING_STORE}
let reads = 0;
const serializer = { name: "msgpack", serialize: (v) => msgpackSerializer.serialize(v), encode: (v) => msgpackSerializer.encode(v), deserialize: (b) => (reads++, msgpackSerializer.deserialize(b)) };
const rows = () => Array.from({ length: 40000 }, (_, i) => ({ i, payload: "row-" + i + "-" + "x".repeat(40) }));
const pipeline = new Pipeline("P", { logger: silentLogger(), store: new WritingStore() }).add(task("Big", { serializer, run: rows }));
await pipeline.execute();
const ahead = reads;
// A turn first: a value just made or read stays alive until the current job ends.
await new Promise((r) => setTimeout(r, 10));
globalThis.gc();
await new Promise((r) => setTimeout(r, 10));
globalThis.gc();
const got = await pipeline.getResult("Big");
console.log(JSON.stringify({ ahead, reads, same: JSON.stringify(got) === JSON.stringify(rows()) }));
`,
    );
    const run = spawnSync(process.execPath, ["--expose-gc", file], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout.trim())).toEqual({ ahead: 1, reads: 2, same: true });
  });
});
