import { describe, expect, it } from "vitest";
import { LpError, NoResultError, TaskTimeoutError, UnknownTaskError, task } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

/** A task that throws each of `throws` in turn, then returns the number of attempts. */
function throwing(name: string, throws: unknown[]) {
  let calls = 0;
  const t = task(name, {
    retries: { count: 3, delayMs: 1 },
    run() {
      calls++;
      if (calls <= throws.length) throw throws[calls - 1];
      return calls;
    },
  });
  return { t, calls: () => calls };
}

describe("retries follow the error's class", () => {
  it("retries plain errors, thrown strings, timeouts and bare LpErrors; not logic errors", async () => {
    const plain = throwing("Plain", [new Error("flaky"), "plain string", new TaskTimeoutError("Plain", 5)]);
    const bare = throwing("Bare", [new LpError("LP_MINE", "a fault of the task's own")]);
    const noResult = throwing("NoResult", [new NoResultError("Retry", "Elsewhere")]);
    const unknown = throwing("Unknown", [new UnknownTaskError("Retry", "Totl", "Total")]);
    const { pipeline } = quietPipeline("Retry");
    pipeline.add([plain.t, bare.t, noResult.t, unknown.t]);
    const summary = await pipeline.execute();
    const byName = Object.fromEntries(summary.tasks.map((t) => [t.name, t]));
    expect(byName.Plain).toMatchObject({ state: "executed", attempts: 4 });
    expect(byName.Bare).toMatchObject({ state: "executed", attempts: 2 });
    expect(byName.NoResult).toMatchObject({ state: "failed", attempts: 1, error: { code: "LP_NO_RESULT" } });
    expect(byName.Unknown).toMatchObject({ state: "failed", attempts: 1, error: { code: "LP_UNKNOWN_TASK" } });
    expect([plain.calls(), bare.calls(), noResult.calls(), unknown.calls()]).toEqual([4, 2, 1, 1]);
  });
});
