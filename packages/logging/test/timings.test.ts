import type { RunSummary, TaskRecord } from "@lp/core";
import { describe, expect, it } from "vitest";
import { createLogger, formatTimings, runTimings } from "../src/index.js";
import { capture, example1, masked } from "./fixtures.js";

function record(name: string, state: TaskRecord["state"], durationMs: number, processes: [string, number, number?][] = []): TaskRecord {
  return {
    name,
    state,
    durationMs,
    attempts: state === "cached" || state === "upstream-failed" ? 0 : 1,
    processes: processes.map(([p, ms, calls]) => ({ name: p, durationMs: ms, calls: calls ?? 1 })),
  };
}

const summary: RunSummary = {
  pipeline: "Example1",
  runId: "r",
  startedAt: 0,
  finishedAt: 2750,
  durationMs: 2750,
  ok: false,
  interrupted: false,
  tasks: [
    record("TaskOne", "cached", 1),
    record("TaskTwo", "executed", 2500, [["extract", 400, 2], ["run", 2500], ["transform", 2000]]),
    record("TaskThree", "failed", 120, [["run", 110]]),
    record("Sum", "executed", 250, [["run", 240]]),
  ],
  totals: { total: 4, executed: 2, cached: 1, skipped: 0, failed: 1, upstreamFailed: 0, cancelled: 0 },
  criticalPath: ["TaskTwo", "Sum"],
};

describe("timings", () => {
  it("lists the tasks that ran and their processes, slowest first, with the critical path", () => {
    const t = runTimings(summary);
    expect(t.tasks.map((x) => x.task)).toEqual(["TaskTwo", "Sum", "TaskThree"]);
    expect(t.tasks[0]!.processes.map((p) => p.name)).toEqual(["run", "transform", "extract"]);
    expect(t.criticalPath).toEqual(["TaskTwo", "Sum"]);
    expect(t.criticalPathMs).toBe(2750);
  });

  it("formats them as a table", () => {
    expect(formatTimings(runTimings(summary)).split("\n")).toEqual([
      "Timings, slowest first:",
      "  TaskTwo      0:02.50",
      "    run        0:02.50",
      "    transform  0:02.00",
      "    extract    0:00.40  (2 calls)",
      "  Sum          0:00.25",
      "    run        0:00.24",
      "  TaskThree    0:00.12  failed",
      "    run        0:00.11",
      "Critical path: TaskTwo -> Sum (0:02.75)",
    ]);
  });

  it("says so when no task ran", () => {
    expect(formatTimings(runTimings({ ...summary, tasks: [record("TaskOne", "cached", 1)], criticalPath: [] }))).toBe("Timings: no task ran.");
  });

  it("prints the table after the run's last lines when timings are on", async () => {
    const out = capture();
    const pipeline = example1(createLogger({ stream: out, logDir: false, env: {}, timings: true }));
    const result = await pipeline.execute();
    const lines = masked(out.lines);
    const start = lines.indexOf("Timings, slowest first:");
    expect(start).toBe(lines.findIndex((l) => l.startsWith("Pipeline complete! : DONE")) + 1);
    const table = lines.slice(start + 1, -1);
    expect(table.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/)[0]).sort()).toEqual(["Sum", "TaskOne", "TaskThree", "TaskTwo"]);
    expect(table.filter((l) => l.trim().startsWith("extract"))).toHaveLength(1);
    expect(lines.at(-1)).toBe(`Critical path: ${result.criticalPath.join(" -> ")} (<t>)`);
    expect(result.criticalPath.at(-1)).toBe("Sum");
  });

  it("can be switched on at run time and stays off by default", async () => {
    const out = capture();
    const logger = createLogger({ stream: out, logDir: false, env: {} });
    const pipeline = example1(logger);
    await pipeline.execute();
    expect(out.text).not.toContain("Timings");
    logger.setTimings(true);
    await pipeline.execute({ force: true });
    expect(out.text).toContain("Timings, slowest first:");
  });
});
