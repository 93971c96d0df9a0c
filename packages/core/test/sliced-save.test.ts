import { describe, expect, it } from "vitest";
import { type BodySink, type EncodedResult, MemoryStore, type ResultMeta, msgpackSerializer, task } from "../src/index.js";
import { digestBytes } from "../src/internal.js";
import { quietPipeline } from "./helpers.js";

/**
 * A memory store that takes a body in pieces as core packs it (`openBody`), keeping each
 * piece as handed over and a copy of it as it was then, to show that none changed later.
 */
class SinkStore extends MemoryStore {
  opened: string[] = [];
  pieces = 0;
  aborted = 0;
  /** How the next sink behaves: declined (undefined), or its finish fails as a full disk would. */
  next: "decline" | "fail" | undefined;

  openBody(key: string, maxBytes: number): BodySink | undefined {
    const how = this.next;
    if (how === "decline") return undefined;
    this.opened.push(key);
    const handed: Uint8Array[] = [];
    const copies: Buffer[] = [];
    return {
      append: (bytes) => {
        this.pieces++;
        handed.push(bytes);
        copies.push(Buffer.from(bytes));
      },
      finish: async (metaFor: (digest: string) => ResultMeta) => {
        const body = Buffer.concat(handed);
        expect(Buffer.compare(body, Buffer.concat(copies)), "no piece changed after it was appended").toBe(0);
        expect(body.byteLength).toBeLessThanOrEqual(maxBytes);
        const digest = digestBytes(body);
        const meta = metaFor(digest);
        await new Promise((r) => setImmediate(r));
        if (how === "fail") throw new Error("ENOSPC: no space left on device, write");
        await this.put(key, body, meta);
        return digest;
      },
      abort: async () => void this.aborted++,
    };
  }
}

const records = (n: number, tag = "") => Array.from({ length: n }, (_, i) => ({ i, payload: `${tag}${"x".repeat(60)}${i}`, nested: i % 3 ? { at: i } : [i, `${i}`] }));
const BIG = 120_000;

describe("a big array saved as it is packed", () => {
  it("is handed to the store in pieces, stored as the bytes one pack gives, and read back by dependents and getResult", async () => {
    const store = new SinkStore();
    const { pipeline } = quietPipeline("sliced", { store });
    const value = records(BIG);
    const expected = Buffer.from((msgpackSerializer.encode!(records(BIG)) as EncodedResult).body);
    const a = task("A", { run: () => value });
    const b = task("B", { dependencies: [a], run: async function () { return (await this.result(a)).length; } });
    pipeline.add(a, b);
    const summary = await pipeline.execute();
    expect(summary.totals.executed).toBe(2);
    expect(store.opened).toEqual(["A"]);
    expect(store.pieces).toBeGreaterThan(1);
    const stored = await store.get("A");
    expect(stored!.meta.serializer).toBe("msgpack");
    expect(stored!.meta.size).toBe(expected.byteLength);
    expect(Buffer.compare(Buffer.from(stored!.body), expected)).toBe(0);
    expect(await pipeline.getResult("B")).toBe(BIG);
    expect(await pipeline.getResult("A")).toEqual(records(BIG));
  });

  it("is the value as the task returned it, even when the task changes it at the next microtask", async () => {
    const store = new SinkStore();
    const { pipeline } = quietPipeline("changed-later", { store });
    const value = records(BIG);
    pipeline.add(
      task("A", {
        run: () => {
          void Promise.resolve().then(() => {
            value.push({ i: -1, payload: "added after the return", nested: [0, "0"] });
            value[0]!.payload = "changed after the return";
          });
          return value;
        },
      }),
    );
    await pipeline.execute();
    expect(store.opened).toEqual(["A"]);
    expect(msgpackSerializer.deserialize((await store.get("A"))!.body)).toEqual(records(BIG));
  });

  describe("is the value as checked, whatever the task's code changes once it has returned", () => {
    class Thing {
      a = 1;
    }
    const LATE = BIG - 7;
    const change = (value: unknown[], kind: string) => {
      if (kind === "class") value[LATE] = new Thing();
      else if (kind === "-0") (value[LATE] as { i: number }).i = -0;
      else value[LATE] = value[3];
    };
    /** Changes `value` after `turns` microtasks: the code a task leaves behind when it returns. */
    const changeLater = (value: unknown[], kind: string, turns: number) => {
      let chain = Promise.resolve();
      for (let k = 1; k < turns; k++) chain = chain.then(() => {});
      void chain.then(() => change(value, kind));
    };
    const rows = [
      { how: "a task with a timeout, changed at the next microtask", timeout: 600_000, async: false, turns: 1 },
      { how: "an asynchronous task, changed five microtasks later", timeout: undefined, async: true, turns: 5 },
    ];
    for (const row of rows)
      for (const kind of ["class", "-0", "shared"])
        for (const alone of [true, false])
          it(`${row.how}: ${kind === "class" ? "a class instance" : kind === "-0" ? "-0" : "a shared reference"} put in, ${alone ? "alone" : "while another task runs"}`, async () => {
            const store = new SinkStore();
            const { pipeline } = quietPipeline(`changed-${kind}`, { store });
            const make = () => {
              const value: unknown[] = records(BIG);
              changeLater(value, kind, row.turns);
              return value;
            };
            // Another task still running when Big's result is saved: no copy is made for reading it ahead.
            if (!alone) pipeline.add(task("Other", { run: () => new Promise((r) => setTimeout(() => r(1), 1500)) }));
            pipeline.add(task("Big", { timeout: row.timeout, run: row.async ? async () => make() : () => make() }));
            const summary = await pipeline.execute();
            expect(summary.tasks.find((t) => t.name === "Big")!.state).toBe("executed");
            const stored = (await store.get("Big"))!;
            expect(stored.meta.serializer).toBe("msgpack");
            const back = msgpackSerializer.deserialize(stored.body) as unknown[];
            expect(back[LATE]).toEqual(records(BIG)[LATE]);
            expect(back).toEqual(records(BIG));
          });

    it("a task's second attempt, changed at the next microtask, while another task runs", async () => {
      const store = new SinkStore();
      const { pipeline } = quietPipeline("changed-retried", { store });
      let calls = 0;
      pipeline.add(task("Other", { run: () => new Promise((r) => setTimeout(() => r(1), 1500)) }));
      pipeline.add(
        task("Big", {
          retries: { count: 1, delayMs: 1 },
          run: () => {
            if (++calls === 1) throw new Error("first attempt fails");
            const value: unknown[] = records(BIG);
            changeLater(value, "class", 1);
            return value;
          },
        }),
      );
      await pipeline.execute();
      expect(calls).toBe(2);
      expect(msgpackSerializer.deserialize((await store.get("Big"))!.body)).toEqual(records(BIG));
    });
  });

  it("of text that is not ASCII (more bytes than characters) goes through the store's sink once, and reads back exactly", async () => {
    const store = new SinkStore();
    const { pipeline } = quietPipeline("cjk", { store });
    const cjk = () => Array.from({ length: BIG }, (_, i) => ({ i, text: `数据管道缓存结果${i}`.repeat(4) }));
    pipeline.add(task("A", { run: () => cjk() }));
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("executed");
    expect(store.opened).toEqual(["A"]);
    expect(store.aborted).toBe(0);
    expect(store.pieces).toBeGreaterThan(1);
    const stored = (await store.get("A"))!;
    expect(Buffer.compare(Buffer.from(stored.body), Buffer.from((msgpackSerializer.encode!(cjk()) as EncodedResult).body))).toBe(0);
    expect(msgpackSerializer.deserialize(stored.body)).toEqual(cjk());
    expect(await pipeline.getResult("A")).toEqual(cjk());
  });

  it("from an asynchronous run, or to a store that declines, is packed whole and stored as before", async () => {
    const store = new SinkStore();
    store.next = "decline";
    const { pipeline } = quietPipeline("whole", { store });
    pipeline.add(task("A", { run: () => records(BIG) }), task("B", { run: async () => records(BIG, "b") }));
    await pipeline.execute();
    expect(store.pieces).toBe(0);
    expect(msgpackSerializer.deserialize((await store.get("A"))!.body)).toEqual(records(BIG));
    store.next = undefined;
    await pipeline.execute({ force: true });
    expect(msgpackSerializer.deserialize((await store.get("B"))!.body)).toEqual(records(BIG, "b"));
  });

  it("that fails to be written fails the task's save with the store's error, and nothing is kept", async () => {
    const store = new SinkStore();
    store.next = "fail";
    const { pipeline } = quietPipeline("full-disk", { store });
    const a = task("A", { run: () => records(BIG) });
    const b = task("B", { dependencies: [a], run: async function () { return (await this.result(a)).length; } });
    pipeline.add(a, b);
    const summary = await pipeline.execute();
    expect(store.opened).toEqual(["A"]);
    expect(await store.has("A")).toBe(false);
    expect(await store.has("B")).toBe(false);
    const byName = Object.fromEntries(summary.tasks.map((t) => [t.name, t]));
    expect(byName.A).toMatchObject({ state: "failed", error: { code: "LP_STORE" } });
    expect(byName.A!.error!.message).toMatch(/Task "A": the result could not be stored \(ENOSPC: no space left on device, write\)/);
    expect(byName.B!.state).toMatch(/upstream-failed/);
    expect(summary.ok).toBe(false);
  });

  it("that cannot be packed after all (a getter throwing on its second read) fails the task as a result that cannot be stored, or is stored as first read", async () => {
    for (const store of [new SinkStore(), new MemoryStore()]) {
      const { pipeline } = quietPipeline("unpackable", { store });
      pipeline.add(
        task("A", {
          run: () => {
            let reads = 0;
            const value: unknown[] = records(BIG);
            value.push({
              get late() {
                if (reads++ > 0) throw new Error("read twice");
                return 1;
              },
            });
            return value;
          },
        }),
      );
      const summary = await pipeline.execute();
      const a = summary.tasks.find((t) => t.name === "A")!;
      if (a.state === "executed") {
        // Packed from a copy made by the check: the value as first read, never a mix.
        expect(((await pipeline.getResult("A")) as { late?: number }[])[BIG]).toEqual({ late: 1 });
        continue;
      }
      expect(a).toMatchObject({ state: "failed", error: { code: "LP_SERIALIZATION" } });
      expect(a.error!.message).toMatch(/^Task "A" returned a result that cannot be stored: read twice/);
      expect(await store.has("A")).toBe(false);
      if (store instanceof SinkStore) expect(store.aborted, "the sink opened for it is given up").toBe(1);
    }
  });

  it("is not used for a small array, nor for one MessagePack would change (stored by the v8 serializer)", async () => {
    const store = new SinkStore();
    const { pipeline } = quietPipeline("not-sliced", { store });
    const shared = { s: "x".repeat(80) };
    pipeline.add(task("Small", { run: () => records(10) }), task("Shared", { run: () => Array.from({ length: BIG }, () => shared) }));
    await pipeline.execute();
    expect(store.opened).toEqual([]);
    expect((await store.get("Shared"))!.meta.serializer).toBe("v8");
    const back = (await pipeline.getResult("Shared")) as unknown[];
    expect(back[0]).toBe(back[BIG - 1]);
  });
});
