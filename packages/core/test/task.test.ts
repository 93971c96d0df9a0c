import { describe, expect, it } from "vitest";
import { InvalidOptionError, LpError, Task, task } from "../src/index.js";

describe("Task definition", () => {
  it("registers named processes and rejects anonymous, reserved and duplicate ones", () => {
    const t = new Task("T");
    t.process(function extract() { return 1; });
    expect([...t.processes.keys()]).toEqual(["extract"]);
    expect(() => t.process(() => 1)).toThrow(/Task "T": a process needs a name/);
    expect(() => t.process(function logger() {})).toThrow(/"logger" cannot be a process name/);
    expect(() => t.process(function extract() {})).toThrow(/already has a process named "extract"/);
    expect(t.hasRun).toBe(false);
    t.process("run", () => 2);
    expect(t.hasRun).toBe(true);
  });

  it("rejects bad options naming the task, the option and what it got", () => {
    expect(() => new Task("")).toThrow(InvalidOptionError);
    expect(() => new Task("T", { retries: -1 })).toThrow('Task "T": expected `retries` to be a whole number from 0 up, got -1.');
    expect(() => new Task("T", { timeout: 0 })).toThrow("`timeout`");
    expect(() => new Task("T", { ifUpstreamErrors: "ignore" as "fail" })).toThrow('"fail" or "skip"');
    expect(() => new Task("T", { dependencies: [42 as unknown as string] })).toThrow("dependencies[0]");
    expect(() => new Task("T", { expire: {} as never })).toThrow("expiry policy");
    expect(() => new Task("T", { inputFiles: [""] })).toThrow("inputFiles");
  });

  it("accepts Task objects as dependencies and dedupes them", () => {
    const a = task("A", { run: () => 1 });
    const b = new Task("B", { dependencies: [a, "A", "C"] });
    expect(b.dependencies).toEqual(["A", "C"]);
  });

  it("finds the module that defined it", () => {
    const t = new Task("T");
    expect(t.definedIn).toBe(new URL(import.meta.url).pathname);
    expect(task("U", { run: () => 1 }).definedIn).toBe(new URL(import.meta.url).pathname);
  });

  it("errors carry stable codes", () => {
    try {
      new Task("T", { retries: 1.5 });
    } catch (e) {
      expect(e).toBeInstanceOf(LpError);
      expect((e as LpError).code).toBe("LP_INVALID_OPTION");
    }
  });
});
