import { expect, it } from "vitest";
import { runFixture } from "./run-fixture.js";

it("a worker's log lines and process timings reach the run in the order they happened", async () => {
  const { report, err } = await runFixture("logs.ts");
  expect(err).toBe("");
  expect(report.ok).toBe(true);
  const mine = (report.entries as unknown[][]).filter((e) => e[0] === "line" || e[1] === "task:process");
  const expected: unknown[][] = [];
  for (let i = 0; i < 100; i++) {
    expected.push(["line", "Chatty", "info", `line ${i}`, { i }]);
    expected.push(["event", "task:process", "Chatty", "step"]);
  }
  // The run process is timed like any other, after the lines it logged.
  expected.push(["line", "Chatty", "warn", "done", {}]);
  expected.push(["event", "task:process", "Chatty", "run"]);
  expect(mine).toEqual(expected);
  // Every line arrived before the task was reported done.
  const kinds = (report.entries as unknown[][]).map((e) => e[1]);
  expect(kinds.indexOf("task:done")).toBeGreaterThan(kinds.lastIndexOf("task:process"));
  const steps = report.processes.find((p: { name: string }) => p.name === "step");
  expect(steps.calls).toBe(100);
  expect(steps.durationMs).toBeGreaterThan(0);
});
