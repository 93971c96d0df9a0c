import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { PKG, fixture, lp, lpIn, requireBuild, run, childEnv, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

describe.concurrent("lp --json", () => {
  it("run --json prints one lp.run/1 document on stdout; the run's lines go to stderr", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(["run", fixture("failing.js"), "--json"], store);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(doc).toMatchObject({ schema: "lp.run/1", ok: false, interrupted: false, totals: { failed: 1 } });
    const bad = doc.tasks.find((t: { name: string }) => t.name === "Bad");
    expect(bad).toMatchObject({ state: "failed", error: { message: expect.stringContaining("the data source is down") } });
    expect(result.stderr).toMatch(/Bad\s+: FAIL : /);
  });

  it("run --json gives a mapped task's branch counts: how many ran, were reused or failed (with index, label and message)", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const first = JSON.parse((await lp(["run", fixture("mapped.ts"), "--json"], store)).stdout);
    const double = first.tasks.find((t: { name: string }) => t.name === "Double");
    expect(double.branches).toMatchObject({ total: 3, ran: 2, cached: 0, failed: [{ index: 0, label: "Double[0]", message: expect.stringContaining("ten is refused") }] });
    expect(double.branches.slowest.map((b: { index: number }) => b.index).sort()).toEqual([1, 2]);
    for (const b of double.branches.slowest) expect(b).toEqual({ index: b.index, label: `Double[${b.index}]`, durationMs: expect.any(Number) });
    expect(first.tasks.find((t: { name: string }) => t.name === "Items").branches).toBeNull();
    // Run again: the failed branch runs (and fails) again; the two that succeeded are reused.
    const second = JSON.parse((await lp(["run", fixture("mapped.ts"), "--json"], store)).stdout);
    const again = second.tasks.find((t: { name: string }) => t.name === "Double");
    expect(again.state).toBe("executed");
    expect(again.branches).toMatchObject({ total: 3, ran: 0, cached: 2, failed: [{ index: 0, label: "Double[0]" }], slowest: [] });
  });

  it("status --json says what would run, and why, per task", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const before = JSON.parse((await lp(["status", fixture("numbers.js"), "--json"], store)).stdout);
    expect(before.schema).toBe("lp.status/1");
    expect(before.wouldRun.sort()).toEqual(["Big", "Hourly", "Sum", "TaskOne", "TaskTwo"]);
    expect(before.tasks[0]).toMatchObject({ willRun: true, state: "not cached", reason: { kind: "never-run" }, stored: null });
    await lp(["run", fixture("numbers.js")], store);
    const after = JSON.parse((await lp(["status", fixture("numbers.js"), "--json"], store)).stdout);
    expect(after.wouldRun).toEqual([]);
    expect(after.tasks.every((t: { stored: { size: number } | null }) => t.stored && t.stored.size > 0)).toBe(true);
  });

  it("cache ls --json and graph --json describe entries and the graph", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    await lp(["run", fixture("numbers.js"), "--only", "Sum"], store);
    const cache = JSON.parse((await lp(["cache", "ls", fixture("numbers.js"), "--json"], store)).stdout);
    expect(cache).toMatchObject({ schema: "lp.cache/1", pipeline: "Numbers" });
    expect(cache.entries.map((e: { key: string; state: string }) => [e.key, e.state])).toEqual([
      ["Sum", "fresh"],
      ["TaskOne", "fresh"],
      ["TaskTwo", "fresh"],
    ]);
    const graph = JSON.parse((await lp(["graph", fixture("numbers.js"), "--json"], store)).stdout);
    expect(graph.schema).toBe("lp.graph/1");
    expect(graph.tasks.find((t: { name: string }) => t.name === "Sum")).toEqual({ name: "Sum", dependencies: ["TaskOne", "TaskTwo"], state: "cached" });
    expect(graph.tasks.find((t: { name: string }) => t.name === "Big").state).toBe("not cached");
  });
});

describe.concurrent("lp status exit codes", () => {
  it("--exit-code exits 1 while something would run and 0 once all is fresh", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    expect((await lp(["status", fixture("numbers.js"), "--exit-code"], store)).code).toBe(1);
    expect((await lp(["status", fixture("numbers.js")], store)).code).toBe(0);
    await lp(["run", fixture("numbers.js")], store);
    expect((await lp(["status", fixture("numbers.js"), "--exit-code"], store)).code).toBe(0);
  });

  it("exits 1 and says why when the store cannot be read", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    mkdirSync(store.file); // a folder where the store's file should be
    const result = await lp(["status", fixture("numbers.js")], store);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lp status: could not decide .*EISDIR/m);
  });
});

describe.concurrent("lp output streams, concurrency and finding the pipeline", () => {
  it("sends the run's lines to stderr when stdout is not a terminal; stdout gets the closing line", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(["run", fixture("numbers.js"), "--concurrency", "Infinity"], store);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Pipeline complete! Ran 5\/5 tasks in \d:\d\d\.\d\d\n$/);
    expect(result.stderr).toMatch(/TaskOne\s+: EXEC : Running\.\.\./);
  });

  it("finds pipeline.mjs in the current folder, or the file package.json names", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const found = await lpIn(join(PKG, "test", "fixtures", "discover"), ["status", "--json"], store);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).pipeline).toBe("Numbers");
    const named = await lpIn(join(PKG, "test", "fixtures", "discover-pkg"), ["run", "--only", "TaskOne"], store);
    expect(named.code).toBe(0);
    expect(store.keys()).toEqual(["TaskOne"]);
  });

  it("status on a file that runs its pipeline at top level runs nothing and says how to guard it", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const status = await lp(["status", fixture("top-level.mjs")], store);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("1 of 1 tasks would run.");
    expect(status.stderr).toMatch(/^lp: warning: .*top-level\.mjs runs its pipeline when imported; that run was skipped\. Guard the run .*isMainModule\(import\.meta\.url\)/m);
    expect(store.keys()).toEqual([]);

    const reads = await lp(["status", fixture("top-level-reads.mjs")], store);
    expect(reads.code).toBe(1);
    expect(reads.stderr).toMatch(/failed to load: No stored result .*\nGuard the run so the file also works with lp/);
    expect(store.keys()).toEqual([]);

    // lp run runs it once, not twice.
    const ran = await lp(["run", fixture("top-level.mjs"), "--json"], store);
    expect(JSON.parse(ran.stdout).totals.executed).toBe(1);
  });

  it("a file guarded with isMainModule runs as a script and only loads under lp", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const status = await lp(["status", fixture("guarded.mjs")], store);
    expect(status.code).toBe(0);
    expect(status.stderr).toBe("");
    expect(store.keys()).toEqual([]);
    const script = await run(process.execPath, [fixture("guarded.mjs")], childEnv(store));
    expect(script.stdout).toContain("result 42");
    expect(store.keys()).toEqual(["Only"]);
  });
});
