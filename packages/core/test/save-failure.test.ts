import { describe, expect, it } from "vitest";
import { MemoryStore, NoResultError, type ResultMeta, task } from "../src/index.js";
import { makeSlots } from "../src/run/slot.js";
import { Scheduler } from "../src/run/scheduler.js";
import { quietPipeline } from "./helpers.js";

/** A store whose put of `failing` is held until every other put is done, then fails. */
class LateFailingStore extends MemoryStore {
  #open!: () => void;
  readonly #gate = new Promise<void>((resolve) => {
    this.#open = resolve;
  });
  constructor(
    public failing: string,
    readonly last: string,
  ) {
    super();
  }
  override async put(key: string, body: Uint8Array, meta: ResultMeta): Promise<void> {
    if (key === this.failing) {
      await this.#gate;
      throw new Error("disk full");
    }
    await super.put(key, body, meta);
    if (key === this.last) this.#open();
  }
}

describe("a save that fails after dependents started on the result", () => {
  it("keeps no result computed from it: dependents fail as upstream-failed and nothing of theirs is stored", async () => {
    const store = new LateFailingStore("A", "C");
    const { pipeline, events } = quietPipeline("SaveFails", { store });
    const ran: string[] = [];
    const a = task("A", { run: () => (ran.push("A"), 1) });
    const b = task("B", { dependencies: [a], async run() { ran.push("B"); return (await this.result(a)) + 1; } });
    const c = task("C", { dependencies: [b], async run() { ran.push("C"); return (await this.result(b)) + 1; } });
    pipeline.add(a, b, c, task("D", { run: () => (ran.push("D"), 4) }));
    const summary = await pipeline.execute();
    expect(ran.sort()).toEqual(["A", "B", "C", "D"]); // B and C did start on A's result held in memory
    const byName = Object.fromEntries(summary.tasks.map((t) => [t.name, t]));
    expect(byName.A).toMatchObject({ state: "failed", error: { code: "LP_STORE" } });
    expect(byName.B).toMatchObject({ state: "upstream-failed", error: { code: "LP_DEPENDENCY_FAILURE" } });
    expect(byName.B!.error!.message).toMatch(/computed from the result of "A", which could not be stored/);
    expect(byName.C).toMatchObject({ state: "upstream-failed", error: { code: "LP_DEPENDENCY_FAILURE" } });
    expect(byName.D).toMatchObject({ state: "executed" });
    expect(summary.ok).toBe(false);
    expect(await store.has("A")).toBe(false);
    expect(await store.has("B")).toBe(false);
    expect(await store.has("C")).toBe(false);
    expect(await store.has("D")).toBe(true);
    await expect(pipeline.getResult("B")).rejects.toThrow(NoResultError);
    expect(events.filter((e) => e.type === "task:done").map((e) => e.task)).toEqual(["D"]);
  });

  it("runs the whole chain again next time, and then keeps it", async () => {
    const store = new LateFailingStore("A", "C");
    const { pipeline } = quietPipeline("SaveFailsOnce", { store });
    let runs = 0;
    const a = task("A", { run: () => ++runs });
    const b = task("B", { dependencies: [a], async run() { return (await this.result(a)) * 10; } });
    pipeline.add(a, b, task("C", { dependencies: [b], async run() { return (await this.result(b)) * 10; } }));
    await pipeline.execute();
    for (const key of ["A", "B", "C"]) expect(await store.has(key)).toBe(false);
    store.failing = "";
    const summary = await pipeline.execute();
    expect(summary.tasks.map((t) => t.state)).toEqual(["executed", "executed", "executed"]);
    expect(await pipeline.getResult("C")).toBe(200);
  });
});

describe("task lifecycle", () => {
  it("moves each task waiting → running → saving → done, dependents starting while it saves", async () => {
    const a = task("A", { run: () => 1 });
    const b = task("B", { dependencies: [a], run: () => 2 });
    const slots = makeSlots([a, b], new Set(["A", "B"]));
    const seen: string[] = [];
    const phases = () => [...slots.values()].map((s) => `${s.task.name}:${s.phase}`).join(" ");
    seen.push(phases());
    let finishSave!: () => void;
    const scheduler: Scheduler = new Scheduler({
      slots,
      concurrency: 2,
      signal: new AbortController().signal,
      now: Date.now,
      async start(slot) {
        seen.push(phases());
        if (slot.task.name === "A") {
          scheduler.release(slot); // result held in memory: B may start while A saves
          await new Promise<void>((resolve) => {
            finishSave = resolve;
          });
        }
        scheduler.done(slot);
      },
      onFinish: () => seen.push(phases()),
    });
    const done = scheduler.run();
    await new Promise((r) => setTimeout(r, 10));
    seen.push(phases());
    finishSave();
    await done;
    expect(seen).toEqual([
      "A:waiting B:waiting",
      "A:running B:waiting",
      "A:saving B:running",
      "A:saving B:done",
      "A:saving B:done",
      "A:done B:done",
    ]);
  });
});
