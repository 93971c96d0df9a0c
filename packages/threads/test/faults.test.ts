import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runFixture, tempDir } from "./run-fixture.js";

describe("failures on worker threads", () => {
  let report: any;
  let politeFile: string;
  beforeAll(async () => {
    politeFile = join(tempDir(), "polite.json");
    const run = await runFixture("faults.ts", { POLITE_FILE: politeFile });
    report = run.report;
    if (!report) throw new Error(`fixture printed no report:\n${run.out}\n${run.err}`);
  });

  it("a worker that exits mid-task fails that attempt only; the retry succeeds on a replaced thread", () => {
    expect(report.records.Crashy).toMatchObject({ state: "executed", attempts: 2 });
    expect(report.crashy.attempt).toBe(2);
    expect(report.crashy.thread).not.toBe(report.main);
  });

  it("a worker out of memory fails its task with a clear error; the run goes on", () => {
    expect(report.records.Hog.state).toBe("failed");
    expect(report.records.Hog.error).toMatchObject({ code: "LP_WORKER_CRASHED", name: "WorkerCrashError" });
    expect(report.records.Hog.error.message).toMatch(/Task "Hog": its worker thread stopped during attempt 1 \(.*memory/);
    expect(report.records.Steady.state).toBe("executed");
    expect(report.steady).toBe(42);
  });

  it("an error thrown in a worker keeps its class name, message, code and stack", () => {
    const { error } = report.records.Thrower;
    expect(error).toMatchObject({ name: "ParseError", message: "bad row 7", code: "E_PARSE" });
    expect(error.stack).toContain("ParseError: bad row 7");
    expect(error.stack).toContain(join("fixtures", "faults.ts"));
  });

  it("a value thrown that is no Error comes back without a stack, as in-process: no library frame posing as the task's code", () => {
    const { error } = report.records.StringThrower;
    expect(error).toMatchObject({ name: "Error", message: "plain string" });
    expect(error.stack).toBeUndefined();
  });

  it("a result that cannot be stored is a serialization error naming the task, not retried", () => {
    expect(report.records.Unclonable).toMatchObject({ state: "failed", attempts: 1 });
    expect(report.records.Unclonable.error.code).toBe("LP_SERIALIZATION");
    expect(report.records.Unclonable.error.message).toContain('Task "Unclonable"');
  });

  it("this.result() of a non-dependency fails at once, without retries", () => {
    expect(report.records.Sneaky).toMatchObject({ state: "failed", attempts: 1 });
    expect(report.records.Sneaky.error).toMatchObject({ code: "LP_NOT_A_DEPENDENCY", name: "NotADependencyError" });
  });

  it("this.result() and this.pipeline.getResult() read through the scheduler; errors come back whole", () => {
    expect(report.reader).toMatchObject({ up: 42, name: "UnknownTaskError", code: "LP_UNKNOWN_TASK" });
    expect(report.reader.message).toContain('Did you mean "Steady"?');
  });

  it('runIn: "main" keeps a task on the main thread', () => {
    expect(report.mainOnly).toBe(report.main);
  });

  it("a timeout frees the thread of a task that never yields", () => {
    expect(report.records.Stuck).toMatchObject({ state: "failed" });
    expect(report.records.Stuck.error.code).toBe("LP_TIMEOUT");
    expect(report.records.Next.state).toBe("executed");
    // One thread, one task at a time: Next ran on the thread Stuck held until its timeout.
    expect(report.records.Next.startedAt).toBeGreaterThanOrEqual(report.records.Stuck.finishedAt);
    expect(report.next).not.toBe(report.main);
  });

  it("this.signal aborts inside the worker, with the reason, when the task times out", () => {
    expect(report.records.Polite.state).toBe("failed");
    expect(report.records.Polite.error.code).toBe("LP_TIMEOUT");
    const seen = JSON.parse(readFileSync(politeFile, "utf8"));
    expect(seen.code).toBe("LP_TIMEOUT");
    expect(seen.thread).not.toBe(report.main);
  });

  it("a task a worker cannot load is a clear error that says how to fix it, not retried", () => {
    expect(report.records.Late).toMatchObject({ state: "failed", attempts: 1 });
    expect(report.records.Late.error.code).toBe("LP_WORKER_LOAD");
    expect(report.records.Late.error.message).toMatch(/Task "Late": importing .*faults\.ts in a worker thread did not create it.*runIn: "main"/);
  });
});

it("a worker refuses to run a task whose module changed on disk since the run fingerprinted it", async () => {
  const { report, err } = await runFixture("changed.ts", { MODULE_DIR: tempDir() });
  expect(err).toBe("");
  expect(report.before.state).toBe("executed");
  expect(report.after).toMatchObject({ state: "failed", attempts: 1, error: { code: "LP_WORKER_LOAD" } });
  expect(report.after.error.message).toContain('Task "Edited": its code changed on disk after the run started');
  // The stored result is still the one the fingerprinted code produced.
  expect(report.result).toBe(1);
});
