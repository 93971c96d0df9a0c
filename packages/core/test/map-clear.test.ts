import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type LpError, MemoryStore, Task, branchOwner, clearBranch, clearResults, inputFiles, task } from "../src/index.js";
import { quietPipeline, tempDir } from "./helpers.js";

/** Items → Double (mapped over Items) → Total, recording which elements ran. */
function mapped(list: number[]) {
  const store = new MemoryStore();
  const { pipeline } = quietPipeline("Clear", { store });
  let ran: number[] = [];
  pipeline.add(
    task("Items", { run: () => list }),
    new Task("Double", {
      map: "Items",
      run() {
        ran.push(this.item as number);
        return (this.item as number) * 2;
      },
    }),
    task("Total", {
      dependencies: ["Double"],
      run: async function () {
        return (await this.result<number[]>("Double")).reduce((a, b) => a + b, 0);
      },
    }),
  );
  const run = async () => {
    ran = [];
    const summary = await pipeline.execute();
    return { summary, ran: [...ran].sort((a, b) => a - b), double: summary.tasks.find((t) => t.name === "Double")! };
  };
  const branchKeys = async () => (await store.list()).filter((m) => branchOwner(m.key) === "Double").map((m) => m.key);
  return { store, pipeline, run, branchKeys };
}

describe("clearing a mapped task", () => {
  it("clearResults({ task }) removes its branches with its result, so every branch runs again", async () => {
    const p = mapped([1, 2, 3]);
    await p.run();
    const branches = await p.branchKeys();
    expect(branches).toHaveLength(3);

    const removed = await clearResults(p.store, { task: "Double" });
    expect(removed).toEqual(["Double", ...branches]);
    expect(await p.branchKeys()).toEqual([]);
    expect(await p.store.has("Double")).toBe(false);
    // The upstream and the dependent are untouched.
    expect(await p.store.has("Items")).toBe(true);
    expect(await p.store.has("Total")).toBe(true);

    const again = await p.run();
    expect(again.ran).toEqual([1, 2, 3]);
    expect(again.double.branches).toMatchObject({ total: 3, ran: 3, cached: 0 });
    expect(await p.pipeline.getResult("Double")).toEqual([2, 4, 6]);
    expect(await p.branchKeys()).toHaveLength(3);
  });

  it("clears the branches a failed run kept, though the task has no combined result", async () => {
    const store = new MemoryStore();
    const { pipeline } = quietPipeline("Kept", { store });
    pipeline.add(
      task("Items", { run: () => [1, 2, 3] }),
      new Task("M", {
        map: "Items",
        run() {
          if (this.item === 2) throw new Error("two is refused");
          return this.item;
        },
      }),
    );
    await pipeline.execute();
    expect(await store.has("M")).toBe(false);
    const removed = await clearResults(store, { task: "M" });
    expect(removed.map((k) => branchOwner(k))).toEqual(["M", "M"]);
    expect((await store.list()).map((m) => m.key)).toEqual(["Items"]);
  });

  it("leaves other tasks' branches alone, even one whose name starts the same", async () => {
    const store = new MemoryStore();
    const { pipeline } = quietPipeline("Names", { store });
    pipeline.add(
      task("Items", { run: () => [1, 2] }),
      new Task("A", {
        map: "Items",
        run() {
          return this.item;
        },
      }),
      new Task("A[#x]", {
        map: "Items",
        run() {
          return this.item;
        },
      }),
      new Task("AB", {
        map: "Items",
        run() {
          return this.item;
        },
      }),
    );
    await pipeline.execute();
    const before = (await store.list()).map((m) => m.key);
    expect(before).toHaveLength(10);
    const removed = await clearResults(store, { task: "A" });
    expect(removed).toHaveLength(3);
    expect(removed[0]).toBe("A");
    const left = (await store.list()).map((m) => m.key);
    expect(left.sort()).toEqual(before.filter((k) => !removed.includes(k)).sort());
    expect(left).toContain("A[#x]");
    expect(left).toContain("AB");
    // And running A again keeps the other task's result, which a branch key would look like.
    await pipeline.execute();
    expect((await store.list()).map((m) => m.key).sort()).toEqual(before.sort());
  });
});

describe("clearing one branch", () => {
  it("clearBranch removes that branch and the combined result: only it runs next time", async () => {
    const p = mapped([1, 2, 3]);
    await p.run();
    const before = await p.branchKeys();

    const removed = await clearBranch(p.pipeline, "Double", 1);
    expect(removed).toHaveLength(2);
    expect(removed[0]).toBe("Double");
    expect(before).toContain(removed[1]);
    expect((await p.branchKeys()).sort()).toEqual(before.filter((k) => k !== removed[1]).sort());

    const again = await p.run();
    expect(again.ran).toEqual([2]);
    expect(again.double.branches).toMatchObject({ total: 3, ran: 1, cached: 2 });
    expect(await p.pipeline.getResult("Double")).toEqual([2, 4, 6]);
    // The combined result came out the same, so its dependent stays cached.
    expect(again.summary.tasks.find((t) => t.name === "Total")!.state).toBe("cached");
  });

  it("clears one file's branch of a task mapped over files", async () => {
    const dir = tempDir("lp-map-clear-");
    mkdirSync(join(dir, "data"));
    for (const name of ["a", "b", "c"]) writeFileSync(join(dir, "data", `${name}.txt`), name.repeat(3));
    let ran: string[] = [];
    const { pipeline } = quietPipeline("Files", { store: new MemoryStore(), cwd: dir });
    pipeline.add(
      new Task("Read", {
        map: inputFiles("data/*.txt"),
        run() {
          ran.push((this.item as string).slice(-5));
          return (this.item as string).length;
        },
      }),
    );
    await pipeline.execute();
    expect(ran.sort()).toEqual(["a.txt", "b.txt", "c.txt"]);
    ran = [];
    expect(await clearBranch(pipeline, "Read", 2)).toHaveLength(2);
    await pipeline.execute();
    expect(ran).toEqual(["c.txt"]);
  });

  it("removes nothing when that branch is not stored", async () => {
    const p = mapped([1, 2, 3]);
    await p.run();
    await clearBranch(p.pipeline, "Double", 0);
    expect(await clearBranch(p.pipeline, "Double", 0)).toEqual([]);
  });

  it("refuses, naming the task and what to do, a task that is not mapped, an index out of range or an unknown task", async () => {
    const p = mapped([1, 2, 3]);
    const before = await clearBranch(p.pipeline, "Double", 0).catch((e: LpError) => e);
    expect(before).toMatchObject({ code: "LP_NO_SUCH_BRANCH" });
    expect((before as LpError).message).toContain('"Items", which it is mapped over, has no stored result. Run the pipeline first.');
    await p.run();
    await expect(clearBranch(p.pipeline, "Total", 0)).rejects.toMatchObject({
      code: "LP_NO_SUCH_BRANCH",
      message: expect.stringContaining('Task "Total" is not mapped, so it has no branches.'),
    });
    await expect(clearBranch(p.pipeline, "Double", 3)).rejects.toMatchObject({
      code: "LP_NO_SUCH_BRANCH",
      message: expect.stringContaining("(from Double[0] to Double[2]); there is no Double[3]."),
    });
    await expect(clearBranch(p.pipeline, "Nope", 0)).rejects.toMatchObject({ code: "LP_UNKNOWN_TASK" });
    // Nothing was removed by a refusal.
    expect(await p.branchKeys()).toHaveLength(3);
    expect(await p.store.has("Double")).toBe(true);
  });
});

it("validate names a typed mapped task whose processes have no run, and says to add one", () => {
  const { pipeline } = quietPipeline("NoRun", { store: new MemoryStore() });
  // `processes: {}` is the one run-less shape the compiler lets pass.
  pipeline.add(task("Items", { run: () => [1] }), task("Empty", { map: "Items", processes: {} }));
  const problems = pipeline.problems();
  expect(problems.map((e) => e.code)).toEqual(["LP_MISSING_RUN"]);
  expect(problems[0]!.message).toContain('Task "Empty" has no run process.');
  expect(problems[0]!.message).toContain("{ run() { ... } }");
});
