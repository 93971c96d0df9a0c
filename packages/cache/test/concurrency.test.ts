import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { runChild, startChild, tasksSaid, tempDir } from "./helpers.js";

describe("two processes on one cache", () => {
  it("a run never reads a newer version of an upstream result than the one its fingerprint records", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const work = tempDir("lp-race-");
    const input = (text: string) => writeFileSync(join(work, "input.txt"), text);
    input("v1");
    const first = await runChild("race-run.mjs", [dir, work, "run"]);
    expect(first.lines).toContain("result dep(v1)");

    // P1 decides Src (v1) is fresh and starts Dep; meanwhile P2 stores Src v2.
    const p1 = startChild("race-run.mjs", [dir, work, "force-dep"]);
    await p1.until((l) => l === "ready");
    input("v2");
    const p2 = await runChild("race-run.mjs", [dir, work, "src"]);
    expect(p2.lines).toContain("done Src");
    writeFileSync(join(work, "go"), "");
    const r1 = await p1.finished;
    expect(r1.stderr).toBe("");
    expect(r1.lines.filter((l) => l.startsWith("fail") || l.startsWith("integrity"))).toEqual([]);

    // Back to v1: whatever P1 stored for Dep must be what Dep computes from v1.
    input("v1");
    const last = await runChild("race-run.mjs", [dir, work, "run"]);
    expect(last.lines).toContain("result dep(v1)");
    expect(last.lines.at(-1)).toBe("ok true");
  });

  it("pruning again and again during a run loses no finished result", { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const TASKS = 300;
    const stop = join(tempDir("lp-stop-"), "stop");
    const pruner = startChild("prune-loop.mjs", [dir, stop]);
    await pruner.until((l) => l.startsWith("pruned"));
    const result = await runChild("pipeline-run.mjs", [dir, String(TASKS), "0"]);
    writeFileSync(stop, "");
    const pruned = await pruner.finished;
    expect(pruned.stderr).toBe("");
    expect(pruned.lines.at(-1)).toBe("ok");
    // Nothing here expires: prune must never remove one.
    expect(pruned.lines.filter((l) => l !== "ok" && l !== "pruned ")).toEqual([]);
    expect(result.stderr).toBe("");
    expect(result.lines.filter((l) => !l.startsWith("done") && !l.startsWith("summary"))).toEqual([]);
    expect(tasksSaid(result.lines, "done")).toHaveLength(TASKS);

    const again = await runChild("pipeline-run.mjs", [dir, String(TASKS), "0"]);
    expect(tasksSaid(again.lines, "cached")).toHaveLength(TASKS);
    const store = new CacacheStore({ dir });
    expect(await store.list()).toHaveLength(TASKS);
    await store.close();
  });
});
