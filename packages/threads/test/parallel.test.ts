import { expect, it } from "vitest";
import { runFixture, tempDir } from "./run-fixture.js";

it("runs CPU-bound tasks at the same time, on different worker threads", async () => {
  const { report, err } = await runFixture("parallel.ts", { EXECUTOR: "threads", BARRIER_DIR: tempDir() });
  expect(err).toBe("");
  expect(report.ok).toBe(true);
  const { left, right } = report;
  // Each waited for the other to start while holding its own thread busy: both met.
  expect([left.met, right.met]).toEqual([true, true]);
  // Their execution intervals overlap …
  expect(left.started).toBeLessThan(right.ended);
  expect(right.started).toBeLessThan(left.ended);
  // … on two different threads, neither of them the main one.
  expect(left.thread).not.toBe(right.thread);
  expect(left.thread).not.toBe(report.main);
  expect(right.thread).not.toBe(report.main);
  expect(left.digest).toMatch(/^[0-9a-f]{64}$/);
});

it("in-process, the same tasks take turns on the main thread (the barrier is not met)", async () => {
  const { report } = await runFixture("parallel.ts", { EXECUTOR: "in-process", BARRIER_DIR: tempDir(), BARRIER_MS: "300" });
  const { left, right } = report;
  expect(left.thread).toBe(report.main);
  expect(right.thread).toBe(report.main);
  // The first to run waited in vain: the other could not start until it finished.
  expect([left.met, right.met].sort()).toEqual([false, true]);
  const [first, second] = left.started < right.started ? [left, right] : [right, left];
  expect(second.started).toBeGreaterThanOrEqual(first.ended);
});
