import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, type RunSummary, Task, type TaskStatus } from "@lp/core";
import { vizStates } from "../src/index.js";
import { quietPipeline, tempDir } from "./helpers.js";
import { MIXED, mixedRun } from "./fixtures.js";

describe("vizStates", () => {
  it("takes each task's outcome from a run summary", async () => {
    const { second } = await mixedRun();
    expect(Object.fromEntries(vizStates(second))).toEqual({
      [MIXED.cached]: "cached",
      [MIXED.executed]: "executed",
      [MIXED.downstream]: "executed",
      [MIXED.failed]: "failed",
      [MIXED.upstreamFailed]: "upstream-failed",
      [MIXED.skipped]: "skipped",
    });
  });

  it("takes each task's state from status(), showing expired results as outdated", async () => {
    const dir = tempDir("lp-viz-");
    writeFileSync(join(dir, "input.csv"), "a,b\n");
    let now = Date.UTC(2030, 0, 1);
    const { pipeline } = quietPipeline("Status", { cwd: dir, clock: () => new Date(now) });
    const fresh = new Task("fresh", { run: () => 1 });
    const soon = new Task("soon", { expire: { label: "in a second", expiresAt: (at) => at.getTime() + 1000 }, run: () => 2 });
    const reader = new Task("reader", { inputFiles: ["input.csv"], run: () => 3 });
    pipeline.add(fresh, soon, reader);
    await pipeline.execute({ handleSigint: false });
    pipeline.add(new Task("later", { run: () => 4 }));
    writeFileSync(join(dir, "input.csv"), "a,b\n1,2\n");
    now += 5000;
    const statuses = await pipeline.status();
    expect(statuses.find((s) => s.task === "soon")!.state).toBe("expired");
    expect(Object.fromEntries(vizStates(statuses))).toEqual({ fresh: "cached", soon: "outdated", reader: "outdated", later: "not cached" });
  });

  it("rejects what is neither a summary nor statuses, naming the bad entry", () => {
    expect(() => vizStates({} as RunSummary)).toThrow(InvalidOptionError);
    expect(() => vizStates({} as RunSummary)).toThrow("vizStates(): expected `source` to be the RunSummary of pipeline.execute()");
    expect(() => vizStates([{ task: "A", state: "gone" }] as unknown as TaskStatus[])).toThrow("`source[0]`");
    expect(() => vizStates({ tasks: [{ name: "A", state: "?" }] } as unknown as RunSummary)).toThrow("`source.tasks[0]`");
  });
});
