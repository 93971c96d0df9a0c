import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryStore, Task, onComplete, session, task } from "../src/index.js";
import { CountingStore, quietPipeline, tempDir } from "./helpers.js";

const counter = () => {
  const runs: Record<string, number> = {};
  const bump = (name: string) => {
    runs[name] = (runs[name] ?? 0) + 1;
  };
  return { runs, bump };
};

describe("freshness", () => {
  it("reuses fresh results and re-runs dependents when an upstream result changes", async () => {
    const { runs, bump } = counter();
    let value = 1;
    const store = new MemoryStore();
    const build = () => {
      const { pipeline } = quietPipeline("P", { store });
      pipeline.add(
        task("Up", { codeHash: false, run() { bump("Up"); return value; } }),
        task("Down", { codeHash: false, dependencies: ["Up"], async run() { bump("Down"); return (await this.result<number>("Up")) * 10; } }),
      );
      return pipeline;
    };
    await build().execute();
    const second = await build().execute();
    expect(second.tasks.map((t) => t.state)).toEqual(["cached", "cached"]);
    value = 2;
    const p = build();
    const third = await p.execute({ forceTasks: ["Up"] });
    expect(third.tasks.map((t) => t.state)).toEqual(["executed", "executed"]);
    expect(third.tasks[1]!.decision?.text).toBe("upstream Up changed");
    expect(await p.getResult("Down")).toBe(20);
    expect(runs).toEqual({ Up: 2, Down: 2 });
  });

  it("cuts re-runs short when an upstream re-runs but produces identical content", async () => {
    const { runs, bump } = counter();
    const { pipeline } = quietPipeline("P");
    pipeline.add(
      task("Three", { expire: onComplete(), run() { bump("Three"); return 3; } }),
      task("Sum", { dependencies: ["Three"], async run() { bump("Sum"); return (await this.result<number>("Three")) + 3; } }),
    );
    await pipeline.execute();
    const second = await pipeline.execute();
    expect(second.tasks.map((t) => [t.name, t.state])).toEqual([["Three", "executed"], ["Sum", "cached"]]);
    expect(second.tasks[0]!.unchanged).toBe(true);
    expect(runs).toEqual({ Three: 2, Sum: 1 });
  });

  it("re-runs a task when its code changes (process source when no module is tracked)", async () => {
    const store = new MemoryStore();
    const make = (body: () => number) => {
      const t = new Task("T", { codeHash: "processes" });
      t.process("run", body);
      return quietPipeline("P", { store }).pipeline.add(t);
    };
    await make(() => 1).execute();
    expect((await make(() => 1).execute()).tasks[0]!.state).toBe("cached");
    const changed = await make(() => 2).execute();
    expect(changed.tasks[0]!.decision?.text).toBe("code changed: function `run` in test/freshness.test.ts");
  });

  it("re-runs a task when an input file changes, and names the file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.csv"), "x,1\n");
    writeFileSync(join(dir, "b.csv"), "y,2\n");
    const { runs, bump } = counter();
    const { pipeline } = quietPipeline("P", { cwd: dir });
    pipeline.add(task("Read", { inputFiles: ["*.csv"], run() { bump("Read"); return 1; } }));
    await pipeline.execute();
    expect((await pipeline.execute()).tasks[0]!.state).toBe("cached");
    writeFileSync(join(dir, "b.csv"), "y,3\n");
    expect(await pipeline.explain("Read")).toBe("Read: will run (input file b.csv changed)");
    const s = await pipeline.execute();
    expect(s.tasks[0]!.decision?.text).toBe("input file b.csv changed");
    writeFileSync(join(dir, "c.csv"), "z\n");
    expect((await pipeline.execute()).tasks[0]!.decision?.text).toBe("input file c.csv changed");
    expect(runs.Read).toBe(3);
  });

  it("a missing literal input file fails the task with a message naming it", async () => {
    const dir = tempDir();
    const { pipeline } = quietPipeline("P", { cwd: dir });
    pipeline.add(task("Read", { inputFiles: ["data/missing.csv"], run: () => 1 }), task("Other", { run: () => 2 }));
    const s = await pipeline.execute();
    expect(s.tasks[0]!.state).toBe("failed");
    expect(s.tasks[0]!.error?.message).toContain('Task "Read": input file "data/missing.csv" does not exist');
    expect(s.tasks[1]!.state).toBe("executed");
  });

  it("hashInputs: false ignores input file contents", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.csv"), "1");
    const { pipeline } = quietPipeline("P", { cwd: dir });
    pipeline.add(task("Api", { inputFiles: ["a.csv"], hashInputs: false, run: () => 1 }));
    await pipeline.execute();
    writeFileSync(join(dir, "a.csv"), "2");
    expect((await pipeline.execute()).tasks[0]!.state).toBe("cached");
  });

  it("expires by the policy's time, read from the injected clock", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const inAnHour = { label: "fromNow(1h)", expiresAt: (d: Date) => d.getTime() + 3_600_000 };
    const { pipeline } = quietPipeline("P", { clock: () => now });
    pipeline.add(task("T", { expire: inAnHour, run: () => 1 }));
    await pipeline.execute();
    now = new Date("2026-01-01T00:59:00Z");
    expect((await pipeline.execute()).tasks[0]!.state).toBe("cached");
    now = new Date("2026-01-01T01:00:00Z");
    const [status] = await pipeline.status();
    expect(status!.state).toBe("expired");
    expect(status!.decision.text).toBe("expired at 2026-01-01T01:00:00.000Z");
    expect((await pipeline.execute()).tasks[0]!.state).toBe("executed");
  });

  it("session results are stale for any other session", async () => {
    const store = new MemoryStore();
    const { pipeline } = quietPipeline("P", { store });
    pipeline.add(task("T", { expire: session(), run: () => 1 }));
    await pipeline.execute();
    expect((await pipeline.execute()).tasks[0]!.state).toBe("cached");
    const meta = (await store.getMeta("T"))!;
    await store.put("T", (await store.get("T"))!.body, { ...meta, session: "an-earlier-process" });
    expect(await pipeline.explain("T")).toBe("T: will run (expired with the session that stored it)");
  });

  it("onComplete results expire when the run completes, also with failures, but not when interrupted", async () => {
    const { pipeline } = quietPipeline("P");
    pipeline.add(task("Once", { expire: onComplete(), run: () => 1 }), task("Bad", { run() { throw new Error("x"); } }));
    await pipeline.execute();
    expect((await pipeline.status())[0]!.state).toBe("expired");
    const controller = new AbortController();
    const { pipeline: p2 } = quietPipeline("P2");
    p2.add(task("Once", { expire: onComplete(), run: () => 1 }), task("Stop", { dependencies: ["Once"], run() { controller.abort(); return new Promise(() => {}); } }));
    await p2.execute({ signal: controller.signal });
    expect((await p2.status())[0]!.state).toBe("cached");
  });

  it("drops null and undefined results at completion unless told not to", async () => {
    const { runs, bump } = counter();
    const { pipeline } = quietPipeline("P");
    pipeline.add(task("Side", { run() { bump("Side"); } }));
    await pipeline.execute();
    await pipeline.execute();
    expect(runs.Side).toBe(2);
    const { pipeline: keep } = quietPipeline("K", { expireResultsIfNone: false });
    keep.add(task("Side", { run() { bump("Keep"); } }));
    await keep.execute();
    await keep.execute();
    expect(runs.Keep).toBe(1);
  });

  it("status() explains every task without running anything or reading a body", async () => {
    const store = new CountingStore();
    const { runs, bump } = counter();
    const { pipeline } = quietPipeline("P", { store });
    pipeline.add(
      task("A", { run() { bump("A"); return 1; } }),
      task("B", { dependencies: ["A"], run() { bump("B"); return 2; } }),
      task("C", { expire: onComplete(), run() { bump("C"); return 3; } }),
      task("D", { dependencies: ["B", "C"], run() { bump("D"); return 4; } }),
    );
    const before = await pipeline.status();
    expect(before.map((s) => s.decision.text)).toEqual([
      "never run (no stored result)",
      "never run (no stored result)",
      "never run (no stored result)",
      "never run (no stored result)",
    ]);
    await pipeline.execute();
    const gets = store.gets;
    const after = await pipeline.status({ forceTasks: ["A"] });
    expect(store.gets).toBe(gets);
    expect(Object.fromEntries(after.map((s) => [s.task, s.decision.text]))).toEqual({
      A: "forced",
      B: "upstream A will run; runs again only if its result changes",
      C: expect.stringMatching(/^expired at /),
      D: "upstream B, C will run; runs again only if their results change",
    });
    expect(runs).toEqual({ A: 1, B: 1, C: 1, D: 1 });
  });

  it("a result lost from the store is recomputed when a dependent needs it", async () => {
    const store = new MemoryStore();
    const { runs, bump } = counter();
    const { pipeline, events } = quietPipeline("P", { store });
    pipeline.add(
      task("Up", { run() { bump("Up"); return 5; } }),
      task("Down", { dependencies: ["Up"], version: 1, async run() { bump("Down"); return (await this.result<number>("Up")) + 1; } }),
    );
    await pipeline.execute();
    // Keep Up's metadata but lose its body, as after disk corruption.
    const original = store.get.bind(store);
    store.get = async (key: string) => (key === "Up" ? undefined : original(key));
    const { pipeline: again } = quietPipeline("P", { store });
    again.add(...pipeline.tasks.slice(0, 1), task("Down", { dependencies: ["Up"], version: 2, async run() { bump("Down"); return (await this.result<number>("Up")) + 1; } }));
    again.logger = { ...again.logger, event: (e) => events.push(e) };
    const s = await again.execute();
    expect(s.ok).toBe(true);
    expect(runs).toEqual({ Up: 2, Down: 2 });
    expect(events.some((e) => e.type === "warn" && e.message.includes("missing or corrupt"))).toBe(true);
  });

  it("a dependent stores the upstream digest as it is when it saves, when the upstream changed after it was decided", async () => {
    const store = new MemoryStore();
    let made = 0;
    const up = () => task("Up", { run: () => ++made });
    const down = (version: number) => task("Down", { dependencies: ["Up"], version, async run() { return (await this.result<number>("Up")) * 10; } });
    const { pipeline } = quietPipeline("P", { store });
    pipeline.add(up(), down(1));
    await pipeline.execute();
    // Up's body is lost: Down is decided on Up's stored digest, then Up runs again and returns 2.
    const original = store.get.bind(store);
    store.get = async (key: string) => (key === "Up" && made === 1 ? undefined : original(key));
    const { pipeline: again } = quietPipeline("P", { store });
    again.add(up(), down(2));
    expect((await again.execute()).ok).toBe(true);
    const upMeta = await store.getMeta("Up");
    const downMeta = await store.getMeta("Down");
    expect(made).toBe(2);
    expect(downMeta!.components.upstream).toEqual({ Up: upMeta!.digest });
    const { pipeline: third } = quietPipeline("P", { store });
    third.add(up(), down(2));
    const s = await third.execute();
    expect(s.tasks.map((t) => t.state)).toEqual(["cached", "cached"]);
    expect(await third.getResult("Down")).toBe(20);
  });

  it("a result that cannot be stored fails its task by name; the rest carry on", async () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const { pipeline } = quietPipeline("P");
    pipeline.add(task("Fn", { run: () => ({ f: () => 1 }) }), task("Cls", { run: () => [new Point(1)] }), task("Fine", { run: () => new Map([[1, new Set([2n])]]) }));
    const s = await pipeline.execute();
    expect(s.tasks.map((t) => t.state)).toEqual(["failed", "failed", "executed"]);
    expect(s.tasks[0]!.error?.message).toContain('Task "Fn" returned a result that cannot be stored: result.f is a function');
    expect(s.tasks[1]!.error?.message).toContain("result[0] is an instance of Point");
    expect(await pipeline.getResult("Fine")).toEqual(new Map([[1, new Set([2n])]]));
  });
});
