import { expect, it } from "vitest";
import { runFixture, tempDir } from "./run-fixture.js";

it("a mapped task's branches and other tasks share the run's concurrency on worker threads", async () => {
  // Four threads, a concurrency of two: only the shared permits keep the attempts to two.
  const { report, err } = await runFixture("shared-limit.ts", { LIVE_DIR: tempDir(), CONCURRENCY: "2" });
  expect(err).toBe("");
  expect(report.ok).toBe(true);
  // Eight branches and four tasks, each counting the attempts live on any thread as it ran.
  expect(report.seen).toHaveLength(12);
  expect(report.peak).toBe(2);
});
