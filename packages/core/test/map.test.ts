import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BranchFailureError, MemoryStore, Task, branchOwner, inputFiles, onComplete, task } from "../src/index.js";
import { liveAttempts, quietPipeline, sleep, tempDir } from "./helpers.js";

/** A list task whose value the test changes between runs, and a task mapped over it. */
function listPipeline(initial: unknown[]) {
  const state = { list: initial, runs: [] as unknown[] };
  const store = new MemoryStore();
  const { pipeline, events } = quietPipeline("P", { store });
  const items = task("Items", { expire: onComplete(), run: () => state.list });
  const double = new Task("Double", {
    map: items,
    run() {
      state.runs.push(this.item);
      return { index: this.index, value: (this.item as number) * 2 };
    },
  });
  pipeline.add(items, double);
  const run = async () => {
    state.runs = [];
    const summary = await pipeline.execute();
    const record = summary.tasks.find((t) => t.name === "Double")!;
    const result = record.state === "failed" ? undefined : ((await pipeline.getResult("Double")) as { index: number; value: number }[]);
    return { summary, record, ran: [...state.runs], result: result! };
  };
  const branchKeys = async () => (await store.list()).filter((m) => branchOwner(m.key) === "Double").map((m) => m.key);
  return { state, pipeline, events, run, branchKeys };
}

describe("map over a list", () => {
  it("runs once per element with this.item and this.index; the result is the branch results in order", async () => {
    const p = listPipeline([1, 2, 3]);
    const first = await p.run();
    expect(first.record.state).toBe("executed");
    expect(first.ran.sort()).toEqual([1, 2, 3]);
    expect(first.result).toEqual([
      { index: 0, value: 2 },
      { index: 1, value: 4 },
      { index: 2, value: 6 },
    ]);
    expect(first.record.branches).toMatchObject({ total: 3, ran: 3, cached: 0, failed: [] });
    expect(await p.branchKeys()).toHaveLength(3);
  });

  it("adding one element runs one branch; reordering runs none; removing one drops its branch", async () => {
    const p = listPipeline([1, 2, 3]);
    await p.run();

    const unchanged = await p.run();
    expect(unchanged.ran).toEqual([]);

    p.state.list = [1, 2, 3, 4];
    const added = await p.run();
    expect(added.ran).toEqual([4]);
    expect(added.record.branches).toMatchObject({ total: 4, ran: 1, cached: 3 });
    expect(added.result.map((r) => r.value)).toEqual([2, 4, 6, 8]);

    p.state.list = [4, 3, 2, 1];
    const reordered = await p.run();
    expect(reordered.ran).toEqual([]);
    expect(reordered.record.branches).toMatchObject({ total: 4, ran: 0, cached: 4 });
    // A branch's result is kept as computed: its index is the one it ran with.
    expect(reordered.result.map((r) => r.value)).toEqual([8, 6, 4, 2]);

    p.state.list = [4, 2, 1];
    const removed = await p.run();
    expect(removed.ran).toEqual([]);
    expect(removed.result.map((r) => r.value)).toEqual([8, 4, 2]);
    expect(await p.branchKeys()).toHaveLength(3);

    p.state.list = [4, 2, 1, 3];
    expect((await p.run()).ran).toEqual([3]);
  });

  it("equal elements share one branch", async () => {
    const p = listPipeline([5, 5, 6]);
    const first = await p.run();
    expect(first.ran.sort()).toEqual([5, 6]);
    expect(first.result.map((r) => r.value)).toEqual([10, 10, 12]);
  });

  it("fails with LP_MAP_NOT_A_LIST, naming both tasks, when the upstream is not an array", async () => {
    const p = listPipeline([]);
    p.state.list = { not: "a list" } as unknown as unknown[];
    const { record } = await p.run();
    expect(record.state).toBe("failed");
    expect(record.error?.code).toBe("LP_MAP_NOT_A_LIST");
    expect(record.error?.message).toContain('"Double" is mapped over "Items", whose result is');
  });

  it("an empty list gives an empty result", async () => {
    const p = listPipeline([]);
    const { result, ran, record } = await p.run();
    expect(record.state).toBe("executed");
    expect(result).toEqual([]);
    expect(ran).toEqual([]);
  });

  it("a code change re-runs every branch", async () => {
    const store = new MemoryStore();
    let runs = 0;
    const make = (version: string) => {
      const { pipeline } = quietPipeline("P", { store });
      pipeline.add(
        task("Items", { run: () => [1, 2] }),
        new Task("M", {
          map: "Items",
          version,
          run() {
            runs++;
            return this.item;
          },
        }),
      );
      return pipeline;
    };
    await make("1").execute();
    await make("2").execute();
    expect(runs).toBe(4);
  });

  it("rejects a bad map option, naming the task", () => {
    expect(() => new Task("M", { map: 3 as never, run: () => 1 })).toThrow(/Task "M": expected `map`/);
    expect(() => new Task("M", { map: inputFiles("*.csv"), hashInputs: false, run: () => 1 })).toThrow(/hashInputs/);
    expect(() => new Task("M", { map: "U", onBranchError: "ignore" as never, run: () => 1 })).toThrow(/onBranchError/);
    expect(() => inputFiles()).toThrow(/inputFiles\(\)/);
  });
});

describe("map over files", () => {
  function filePipeline() {
    const dir = tempDir("lp-map-files-");
    mkdirSync(join(dir, "data"));
    const write = (name: string, text: string) => writeFileSync(join(dir, "data", name), text);
    write("a.csv", "1\n2\n");
    write("b.csv", "3\n");
    write("c.csv", "4\n5\n6\n");
    let ran: string[] = [];
    const { pipeline } = quietPipeline("Files", { store: new MemoryStore(), cwd: dir });
    pipeline.add(
      new Task("Count", {
        map: inputFiles("data/*.csv"),
        async run() {
          const { readFile } = await import("node:fs/promises");
          ran.push((this.item as string).slice(dir.length + 1));
          return (await readFile(this.item as string, "utf8")).trim().split("\n").length;
        },
      }),
    );
    const run = async () => {
      ran = [];
      const summary = await pipeline.execute();
      return { record: summary.tasks[0]!, ran: ran.sort(), result: await pipeline.getResult("Count") };
    };
    return { dir, write, run, pipeline };
  }

  it("runs once per file; unchanged files run nothing; an edit, an addition or a removal runs at most one branch", async () => {
    const f = filePipeline();
    const first = await f.run();
    expect(first.ran).toEqual(["data/a.csv", "data/b.csv", "data/c.csv"]);
    expect(first.result).toEqual([2, 1, 3]);

    const second = await f.run();
    expect(second.record.state).toBe("cached");
    expect(second.ran).toEqual([]);

    f.write("b.csv", "3\n4\n");
    const edited = await f.run();
    expect(edited.record.decision?.text).toContain("data/b.csv");
    expect(edited.ran).toEqual(["data/b.csv"]);
    expect(edited.result).toEqual([2, 2, 3]);

    f.write("d.csv", "7\n");
    const added = await f.run();
    expect(added.ran).toEqual(["data/d.csv"]);
    expect(added.result).toEqual([2, 2, 3, 1]);

    rmSync(join(f.dir, "data", "a.csv"));
    const removed = await f.run();
    expect(removed.ran).toEqual([]);
    expect(removed.result).toEqual([2, 3, 1]);
    expect(removed.record.branches).toMatchObject({ total: 3, ran: 0, cached: 3 });
  });

  it("warns, naming the pattern and the folder, when its globs match no file; status says the same", async () => {
    const dir = tempDir("lp-map-empty-");
    const { pipeline, events } = quietPipeline("Empty", { store: new MemoryStore(), cwd: dir });
    pipeline.add(new Task("Lengths", { map: inputFiles("dta/*.csv", "more/*.csv"), run: () => 1 }));
    const note = `inputFiles("dta/*.csv", "more/*.csv") matched no file in ${dir}, so no branch runs; check the pattern and the pipeline's cwd`;
    expect((await pipeline.status())[0]!.mapNote).toBe(note);
    const summary = await pipeline.execute();
    expect(summary.totals.failed).toBe(0);
    expect(await pipeline.getResult("Lengths")).toEqual([]);
    expect(events.filter((e) => e.type === "warn")).toMatchObject([{ task: "Lengths", message: note }]);
    expect((await pipeline.status())[0]!.mapNote).toBe(note);

    mkdirSync(join(dir, "more"));
    writeFileSync(join(dir, "more", "a.csv"), "1\n");
    expect((await pipeline.status())[0]!.mapNote).toBeUndefined();
    events.length = 0;
    await pipeline.execute();
    expect(events.filter((e) => e.type === "warn")).toEqual([]);
    expect(await pipeline.getResult("Lengths")).toEqual([1]);
  });

  it("gives this.item as the file's absolute path", async () => {
    const f = filePipeline();
    const seen: unknown[] = [];
    f.pipeline.add(
      new Task("Paths", {
        map: inputFiles("data/a.csv"),
        run() {
          seen.push(this.item);
          return 1;
        },
      }),
    );
    await f.pipeline.execute();
    expect(seen).toEqual([join(f.dir, "data", "a.csv")]);
  });
});

describe("map of a map", () => {
  it("maps element-wise and keeps an unchanged chain cached end to end", async () => {
    let list = [1, 2, 3];
    const runs = { Double: 0, Inc: 0 };
    const { pipeline } = quietPipeline("Chain", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { expire: onComplete(), run: () => list }),
      new Task("Double", {
        map: "Items",
        run() {
          runs.Double++;
          return (this.item as number) * 2;
        },
      }),
      new Task("Inc", {
        map: "Double",
        run() {
          runs.Inc++;
          return (this.item as number) + 1;
        },
      }),
    );
    await pipeline.execute();
    expect(runs).toEqual({ Double: 3, Inc: 3 });
    expect(await pipeline.getResult("Inc")).toEqual([3, 5, 7]);

    list = [1, 2, 3, 10];
    const summary = await pipeline.execute();
    expect(runs).toEqual({ Double: 4, Inc: 4 });
    expect(summary.tasks.find((t) => t.name === "Inc")!.branches).toMatchObject({ total: 4, ran: 1, cached: 3 });
    expect(await pipeline.getResult("Inc")).toEqual([3, 5, 7, 21]);

    list = [10, 3, 2, 1];
    await pipeline.execute();
    expect(runs).toEqual({ Double: 4, Inc: 4 });
    expect(await pipeline.getResult("Inc")).toEqual([21, 7, 5, 3]);
  });
});

describe("failing branches", () => {
  it("a failing branch fails the task, keeps the others, and only it runs next time", async () => {
    let broken = true;
    let ran: number[] = [];
    const { pipeline } = quietPipeline("Fail", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { run: () => [1, 2, 3, 4] }),
      new Task("M", {
        map: "Items",
        run() {
          ran.push(this.item as number);
          if (broken && this.item === 3) throw new Error("bad row");
          return (this.item as number) * 10;
        },
      }),
      task("After", { dependencies: ["M"], run: () => "after" }),
    );
    const first = await pipeline.execute();
    const m = first.tasks.find((t) => t.name === "M")!;
    expect(m.state).toBe("failed");
    expect(m.error?.code).toBe("LP_BRANCH_FAILED");
    expect(m.error?.message).toContain("1 of 4 branches failed; first M[2]");
    expect(m.error?.message).toContain("bad row");
    expect(m.branches).toMatchObject({ total: 4, ran: 3, failed: [{ index: 2, label: "M[2]", message: "bad row" }] });
    expect(first.tasks.find((t) => t.name === "After")!.state).toBe("upstream-failed");
    expect(ran.sort()).toEqual([1, 2, 3, 4]);

    broken = false;
    ran = [];
    const second = await pipeline.execute();
    expect(ran).toEqual([3]);
    expect(second.ok).toBe(true);
    expect(await pipeline.getResult("M")).toEqual([10, 20, 30, 40]);
  });

  it("runTask rejects with the branch failure as cause", async () => {
    const { pipeline } = quietPipeline("Fail2", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { run: () => [1] }),
      new Task("M", {
        map: "Items",
        run() {
          throw new Error("nope");
        },
      }),
    );
    const error = await pipeline.runTask("M").catch((e: unknown) => e);
    expect((error as Error).cause as Error).toBeInstanceOf(BranchFailureError);
  });

  it("retries a branch on its own", async () => {
    const attempts = new Map<number, number>();
    const { pipeline } = quietPipeline("Retry", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { run: () => [1, 2] }),
      new Task("M", {
        map: "Items",
        retries: { count: 1, delayMs: 1 },
        run() {
          const n = (attempts.get(this.item as number) ?? 0) + 1;
          attempts.set(this.item as number, n);
          if (this.item === 2 && n === 1) throw new Error("flaky");
          return this.attempt;
        },
      }),
    );
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(Object.fromEntries(attempts)).toEqual({ 1: 1, 2: 2 });
    expect(await pipeline.getResult("M")).toEqual([1, 2]);
  });

  it('onBranchError: "skip" leaves failed items out, reports them, and retries them next run', async () => {
    let broken = true;
    let ran: number[] = [];
    const { pipeline, events } = quietPipeline("Skip", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { run: () => [1, 2, 3] }),
      new Task("M", {
        map: "Items",
        onBranchError: "skip",
        run() {
          ran.push(this.item as number);
          if (broken && this.item === 2) throw new Error("skip me");
          return this.item;
        },
      }),
    );
    const first = await pipeline.execute();
    const m = first.tasks.find((t) => t.name === "M")!;
    expect(m.state).toBe("executed");
    expect(m.branches?.failed).toEqual([{ index: 1, label: "M[1]", message: "skip me" }]);
    expect(await pipeline.getResult("M")).toEqual([1, 3]);
    expect(events.some((e) => e.type === "warn" && e.message.includes("M[1]"))).toBe(true);

    broken = false;
    ran = [];
    await pipeline.execute();
    expect(ran).toEqual([2]);
    expect(await pipeline.getResult("M")).toEqual([1, 2, 3]);
  });
});

describe("scheduling branches", () => {
  it("runs branches concurrently up to the concurrency limit (their intervals overlap)", async () => {
    const attempts = liveAttempts(3, 6);
    const order: string[] = [];
    const { pipeline } = quietPipeline("Par", { store: new MemoryStore(), concurrency: 3 });
    pipeline.add(
      task("Items", { run: () => [0, 1, 2, 3, 4, 5] }),
      new Task("M", {
        map: "Items",
        async run() {
          order.push(`start ${this.index}`);
          await attempts.hold();
          order.push(`end ${this.index}`);
          return this.index;
        },
      }),
    );
    await pipeline.execute();
    expect(attempts.peak).toBe(3);
    // Structural overlap: the second branch started before the first ended.
    expect(order.indexOf("start 1")).toBeLessThan(order.indexOf("end 0"));
  });

  it("branches and other tasks share the run's concurrency: live attempts never exceed it", async () => {
    let live = 0;
    let peak = 0;
    const starts: string[] = [];
    const attempt = async (name: string) => {
      live++;
      peak = Math.max(peak, live);
      starts.push(name);
      await sleep(15);
      live--;
      return name;
    };
    const { pipeline } = quietPipeline("Shared", { store: new MemoryStore(), concurrency: 3 });
    const others = ["A", "B", "C", "D"].map((name) => task(name, { run: () => attempt(name) }));
    pipeline.add(
      task("Items", { run: () => [0, 1, 2, 3, 4, 5, 6, 7] }),
      new Task("M", {
        map: "Items",
        run() {
          return attempt(`M[${this.index}]`);
        },
      }),
      // Mapped over M: its branches compete with M's for the same permits.
      new Task("N", {
        map: "M",
        run() {
          return attempt(`N[${this.index}]`);
        },
      }),
      ...others,
    );
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(starts).toHaveLength(4 + 8 + 8);
    expect(peak).toBe(3);
    // Tasks ready while M's branches ran started before the last of them: the map does not hold the run up.
    expect(starts.indexOf("D")).toBeLessThan(starts.indexOf("M[7]"));

    const alone = quietPipeline("Alone", { store: new MemoryStore(), concurrency: 1 }).pipeline;
    live = 0;
    peak = 0;
    alone.add(
      task("Items", { run: () => [0, 1, 2] }),
      new Task("M", {
        map: "Items",
        run() {
          return attempt(`M[${this.index}]`);
        },
      }),
      task("A", { run: () => attempt("A") }),
    );
    expect((await alone.execute()).ok).toBe(true);
    // With one permit, a mapped task lends its own to its branches, one at a time.
    expect(peak).toBe(1);
  });

  it("emits task:branch events counting the branches that ran", async () => {
    const { pipeline, events } = quietPipeline("Ev", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { run: () => [1, 2, 3] }),
      new Task("M", {
        map: "Items",
        run() {
          return this.item;
        },
      }),
    );
    await pipeline.execute();
    const counts = events.flatMap((e) => (e.type === "task:branch" ? [e.branches.ran] : []));
    expect(counts).toEqual([1, 2, 3]);
  });

  it("a per-branch timeout fails only the slow branch", async () => {
    const { pipeline } = quietPipeline("Timeout", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { run: () => [1, 2] }),
      new Task("M", {
        map: "Items",
        timeout: 200,
        onBranchError: "skip",
        async run() {
          if (this.item === 2) await sleep(5_000);
          return this.item;
        },
      }),
    );
    const summary = await pipeline.execute();
    const m = summary.tasks.find((t) => t.name === "M")!;
    expect(m.branches?.failed.map((f) => f.label)).toEqual(["M[1]"]);
    expect(m.branches?.failed[0]?.message).toMatch(/timed out/i);
    expect(await pipeline.getResult("M")).toEqual([1]);
  });
});

describe("status of a mapped task", () => {
  it("says how many branches will run and why, without running any", async () => {
    const dir = tempDir("lp-map-status-");
    mkdirSync(join(dir, "data"));
    for (const f of ["a", "b", "c"]) writeFileSync(join(dir, "data", `${f}.csv`), f);
    let ran = 0;
    const { pipeline } = quietPipeline("Status", { store: new MemoryStore(), cwd: dir });
    pipeline.add(
      new Task("Count", {
        map: inputFiles("data/*.csv"),
        run() {
          ran++;
          return this.index;
        },
      }),
    );
    const before = (await pipeline.status())[0]!;
    expect(before.branches).toMatchObject({ total: 3, willRun: 3, causes: { "new file": 3 } });
    expect(before.decision.text).toContain("3 of 3 branches will run: 3 new files");
    await pipeline.execute();
    ran = 0;
    writeFileSync(join(dir, "data", "b.csv"), "changed");
    writeFileSync(join(dir, "data", "d.csv"), "d");
    writeFileSync(join(dir, "data", "e.csv"), "e");
    const after = (await pipeline.status())[0]!;
    expect(after.decision.text).toContain("3 of 5 branches will run: 1 changed file, 2 new files");
    expect(ran).toBe(0);
  });

  it("for a list, counts new items once the upstream's result is stored, and waits for it otherwise", async () => {
    let list = [1, 2, 3];
    const { pipeline } = quietPipeline("ListStatus", { store: new MemoryStore() });
    pipeline.add(
      task("Items", { run: () => list }),
      new Task("Double", {
        map: "Items",
        run() {
          return (this.item as number) * 2;
        },
      }),
    );
    const pending = (await pipeline.status()).find((s) => s.task === "Double")!;
    expect(pending.decision.text).toContain("branches are decided once Items has run");
    await pipeline.execute();
    list = [1, 2, 3, 4, 5];
    await pipeline.execute({ only: "Items", forceTasks: ["Items"] });
    const double = (await pipeline.status()).find((s) => s.task === "Double")!;
    expect(double.decision.text).toBe("upstream Items changed; 2 of 5 branches will run: 2 new items");
  });
});
