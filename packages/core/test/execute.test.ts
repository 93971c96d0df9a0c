import { describe, expect, it } from "vitest";
import { DependencyFailure, NotADependencyError, Task, task } from "../src/index.js";
import { liveAttempts, quietPipeline, sleep } from "./helpers.js";

describe("scheduling", () => {
  it("runs independent tasks side by side up to the concurrency limit", async () => {
    const attempts = liveAttempts(3, 8);
    const { pipeline } = quietPipeline("P", { concurrency: 3 });
    for (let i = 0; i < 8; i++) {
      pipeline.add(
        task(`t${i}`, {
          async run() {
            await attempts.hold();
            return i;
          },
        }),
      );
    }
    const summary = await pipeline.execute();
    expect(summary.totals.executed).toBe(8);
    expect(attempts.peak).toBe(3);
  });

  it("starts a task as soon as its own dependencies are done", async () => {
    // "slow" runs until "afterFast" has started, so the order, not the clock, shows that
    // "afterFast" did not wait for it; a run that held it back would end "slow" only at
    // the generous deadline, before "afterFast" starts.
    const order: string[] = [];
    let afterFastStarted!: () => void;
    const started = new Promise<void>((resolve) => (afterFastStarted = resolve));
    const { pipeline } = quietPipeline("P");
    pipeline.add(
      task("slow", { async run() { order.push("slow starts"); await Promise.race([started, sleep(20_000)]); order.push("slow ends"); return 1; } }),
      task("fast", { async run() { await sleep(10); return 2; } }),
      task("afterFast", { dependencies: ["fast"], run() { order.push("afterFast starts"); afterFastStarted(); return 3; } }),
    );
    await pipeline.execute();
    expect(order).toEqual(["slow starts", "afterFast starts", "slow ends"]);
  });

  it("records a failure, fails dependents with a DependencyFailure, and lets other branches finish", async () => {
    const { pipeline } = quietPipeline("P");
    pipeline.add(
      task("Bad", { run() { throw new Error("boom"); } }),
      task("Down", { dependencies: ["Bad"], run: () => 1 }),
      task("DownDown", { dependencies: ["Down"], run: () => 1 }),
      task("Tolerant", { dependencies: ["Bad"], ifUpstreamErrors: "skip", run: () => 1 }),
      task("Other", { run: () => "ok" }),
    );
    const summary = await pipeline.execute();
    const state = Object.fromEntries(summary.tasks.map((t) => [t.name, t.state]));
    expect(state).toEqual({ Bad: "failed", Down: "upstream-failed", DownDown: "upstream-failed", Tolerant: "skipped", Other: "executed" });
    expect(summary.ok).toBe(false);
    expect(pipeline.isComplete).toBe(false);
    expect(pipeline.failures.map((f) => f.task)).toEqual(["Bad", "Down", "DownDown"]);
    const down = summary.tasks.find((t) => t.name === "Down")!;
    expect(down.error?.code).toBe("LP_DEPENDENCY_FAILURE");
    expect(down.error?.message).toContain('upstream "Bad" failed');
    expect(new DependencyFailure("x", ["y"])).toBeInstanceOf(Error);
    expect(await pipeline.getResult("Other")).toBe("ok");
  });

  it("retries with backoff and succeeds", async () => {
    let calls = 0;
    const { pipeline, events } = quietPipeline("P");
    pipeline.add(task("Flaky", { retries: { count: 2, delayMs: 5 }, run() { if (++calls < 3) throw new Error(`try ${calls}`); return calls; } }));
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("executed");
    expect(summary.tasks[0]!.attempts).toBe(3);
    expect(events.filter((e) => e.type === "task:retry").map((e) => (e as { delayMs: number }).delayMs)).toEqual([5, 10]);
    expect(await pipeline.getResult("Flaky")).toBe(3);
  });

  it("times a task out and aborts its signal", async () => {
    let aborted = false;
    const { pipeline } = quietPipeline("P");
    pipeline.add(task("Slow", { timeout: 30, async run() { this.signal.addEventListener("abort", () => { aborted = true; }); await sleep(500); return 1; } }));
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("failed");
    expect(summary.tasks[0]!.error?.code).toBe("LP_TIMEOUT");
    expect(summary.tasks[0]!.error?.message).toContain('Task "Slow" timed out after 30 ms');
    expect(aborted).toBe(true);
  });

  it("an abort signal stops scheduling, aborts running tasks and keeps finished results", async () => {
    const controller = new AbortController();
    const { pipeline } = quietPipeline("P", { concurrency: 1 });
    pipeline.add(
      task("First", { run: () => 1 }),
      task("Second", { dependencies: ["First"], async run() { controller.abort(); await sleep(200); return 2; } }),
      task("Third", { dependencies: ["Second"], run: () => 3 }),
    );
    const summary = await pipeline.execute({ signal: controller.signal });
    expect(summary.interrupted).toBe(true);
    expect(summary.tasks.map((t) => t.state)).toEqual(["executed", "cancelled", "cancelled"]);
    expect(await pipeline.getResult("First")).toBe(1);
    const again = await pipeline.execute();
    expect(again.tasks.map((t) => t.state)).toEqual(["cached", "executed", "executed"]);
  });

  it("only: runs a task with what it needs upstream, or alone on stored results", async () => {
    const ran: string[] = [];
    const mk = (name: string, deps: string[] = []) => task(name, { dependencies: deps, run() { ran.push(name); return name; } });
    const { pipeline } = quietPipeline("P");
    pipeline.add(mk("A"), mk("B", ["A"]), mk("C", ["B"]), mk("Unrelated"));
    await pipeline.execute({ only: "B" });
    expect(ran.sort()).toEqual(["A", "B"]);
    ran.length = 0;
    const summary = await pipeline.execute({ only: "C", withDependencies: false, force: true });
    expect(ran).toEqual(["C"]);
    expect(summary.tasks.map((t) => t.name)).toEqual(["C"]);
    await expect(pipeline.execute({ only: "Nope" })).rejects.toThrow('has no task "Nope"');
  });

  it("skipTasks leaves a task unrun; forceTasks re-runs a fresh one", async () => {
    const ran: string[] = [];
    const mk = (name: string, deps: string[] = []) => task(name, { dependencies: deps, run() { ran.push(name); return name; } });
    const { pipeline } = quietPipeline("P");
    pipeline.add(mk("A"), mk("B", ["A"]));
    await pipeline.execute();
    ran.length = 0;
    const s = await pipeline.execute({ skipTasks: ["B"], forceTasks: ["A"] });
    expect(ran).toEqual(["A"]);
    expect(s.tasks.map((t) => t.state)).toEqual(["executed", "skipped"]);
    expect(s.tasks[0]!.decision?.text).toBe("forced");
    ran.length = 0;
    await pipeline.execute({ force: true });
    expect(ran).toEqual(["A", "B"]);
  });

  it("a task reads dependencies through this.result(), and only dependencies", async () => {
    const { pipeline } = quietPipeline("P");
    const up = task("Up", { run: () => ({ rows: [1, 2] }) });
    const other = task("Other", { run: () => 5 });
    pipeline.add(
      up,
      other,
      task("Down", { dependencies: [up], async run() { const r = await this.result(up); return r.rows.length; } }),
      task("Sneaky", { dependencies: [up], async run() { return this.result(other); } }),
    );
    const summary = await pipeline.execute();
    expect(await pipeline.getResult("Down")).toBe(2);
    const sneaky = summary.tasks.find((t) => t.name === "Sneaky")!;
    expect(sneaky.state).toBe("failed");
    expect(sneaky.error?.code).toBe(new NotADependencyError("a", "b").code);
    expect(sneaky.error?.message).toContain('read the result of "Other", which is not among its dependencies');
  });

  it("times every process call and reports a critical path", async () => {
    const t = new Task("T");
    t.process(async function extract() { await sleep(30); return 1; });
    t.process(function transform(x: number) { return x + 1; });
    t.process(async function run() { const a = await this.extract(); return this.transform(this.transform(a)); });
    const { pipeline, events } = quietPipeline("P");
    pipeline.add(t, task("After", { dependencies: ["T"], run: () => 0 }));
    const summary = await pipeline.execute();
    const procs = Object.fromEntries(summary.tasks[0]!.processes.map((p) => [p.name, p]));
    expect(procs.extract!.calls).toBe(1);
    expect(procs.extract!.durationMs).toBeGreaterThanOrEqual(25);
    expect(procs.transform!.calls).toBe(2);
    expect(procs.run!.calls).toBe(1);
    expect(events.filter((e) => e.type === "task:process" && e.task === "T")).toHaveLength(4);
    expect(summary.criticalPath).toEqual(["T", "After"]);
  });

  it("mutating a result read from the pipeline never changes what is stored", async () => {
    const { pipeline } = quietPipeline("P");
    pipeline.add(task("Zero", { run: () => ["Some", "values"] }));
    await pipeline.execute();
    const first = await pipeline.getResult<string[]>("Zero");
    first.push("more");
    expect(await pipeline.getResult("Zero")).toEqual(["Some", "values"]);
  });
});
