import { describe, expect, it } from "vitest";
import { MemoryStore, Task, onComplete, task } from "../src/index.js";
import { BranchFingerprints, branchComponents, branchIdentity, branchBase } from "../src/map/branch-key.js";
import { listItems } from "../src/map/items.js";
import { CountingStore, quietPipeline } from "./helpers.js";

/** Items (a list the test sets) → Double, mapped over it, on a store that counts body reads. */
function counted(initial: unknown[]) {
  const state = { list: initial, ran: [] as unknown[] };
  const store = new CountingStore();
  const { pipeline } = quietPipeline("Reads", { store });
  pipeline.add(
    task("Items", { expire: onComplete(), run: () => state.list }),
    new Task("Double", {
      map: "Items",
      run() {
        state.ran.push(this.item);
        return { twice: (this.item as number) * 2 };
      },
    }),
  );
  const run = async () => {
    state.ran = [];
    store.gets = 0;
    await pipeline.execute();
    const reads = store.gets;
    return { reads, ran: [...state.ran], result: (await pipeline.getResult("Double")) as { twice: number }[] };
  };
  return { state, store, run };
}

describe("assembling a mapped task's result", () => {
  it("takes unchanged branches from the previous combined result: one body read, not one per branch", async () => {
    const p = counted(Array.from({ length: 50 }, (_, i) => i));
    await p.run();
    p.state.list = [...p.state.list, 50];
    const added = await p.run();
    expect(added.ran).toEqual([50]);
    expect(added.result.map((r) => r.twice)).toEqual(Array.from({ length: 51 }, (_, i) => i * 2));
    // The upstream's list and the previous combined result: not the 50 unchanged branches.
    expect(added.reads).toBeLessThanOrEqual(3);
  });

  it("reads the branches on their own when the previous combined result is gone", async () => {
    const p = counted([1, 2, 3, 4]);
    await p.run();
    await p.store.delete("Double");
    p.state.list = [4, 3, 2, 1, 5];
    const again = await p.run();
    expect(again.ran).toEqual([5]);
    expect(again.result.map((r) => r.twice)).toEqual([8, 6, 4, 2, 10]);
    expect(again.reads).toBeGreaterThanOrEqual(4);
  });

  it("gives each branch its own value, as reading them one by one does", async () => {
    // Two different items with equal results: equal bytes, two branches, two objects.
    const store = new MemoryStore();
    const { pipeline } = quietPipeline("Own", { store });
    const state = { list: [1, -1] };
    pipeline.add(
      task("Items", { expire: onComplete(), run: () => state.list }),
      new Task("Abs", {
        map: "Items",
        run() {
          return { abs: Math.abs(this.item as number) };
        },
      }),
    );
    await pipeline.execute();
    state.list = [1, -1, 2];
    await pipeline.execute();
    const result = (await pipeline.getResult("Abs")) as { abs: number }[];
    expect(result).toEqual([{ abs: 1 }, { abs: 1 }, { abs: 2 }]);
    expect(result[0]).not.toBe(result[1]);
  });
});

describe("branch fingerprints", () => {
  it("laid out once, equal those computed from each branch's full parts", () => {
    const t = new Task("T", { map: "U", dependencies: ["V"], run: () => 1 });
    const whole = { code: "c0de", codeParts: { run: "p" }, inputs: { "a.csv": "d1", "z.csv": "d2" }, upstream: { U: "u", V: "v" }, version: "3" };
    const items = listItems(t, "U", [1, "two", { three: 3 }, [4], -0, Number.NaN]);
    const prints = new BranchFingerprints(t, whole, items);
    for (const item of items) expect(prints.of(item)).toEqual(branchIdentity(t, branchComponents(branchBase(t, whole, items), item)));
    // Different elements, different branches; the mapped upstream is not part of any.
    expect(new Set(items.map((i) => prints.of(i).key)).size).toBe(items.length);
    expect(prints.components(items[0]!)).toEqual({ code: "c0de", inputs: { "a.csv": "d1", "z.csv": "d2", "[item]": items[0]!.digest }, upstream: { V: "v" }, version: "3" });
  });
});
