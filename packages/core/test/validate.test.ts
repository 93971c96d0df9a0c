import { describe, expect, it } from "vitest";
import { CycleError, DuplicateTaskError, MissingDependencyError, MissingRunError, Pipeline, PipelineValidationError, Task, UnknownTaskError } from "../src/index.js";

const mk = (name: string, deps: string[] = [], withRun = true) => {
  const t = new Task(name, { dependencies: deps });
  if (withRun) t.process(function run() { return name; });
  return t;
};

describe("validation", () => {
  it("reports every problem at once, each with its own class and code", () => {
    const p = new Pipeline("P").add(mk("Extract"), mk("Load", ["Extrct"]), mk("NoRun", [], false), mk("A", ["B"]), mk("B", ["C"]), mk("C", ["A"]));
    p.add(mk("Extract"));
    const error = (() => {
      try {
        p.validate();
      } catch (e) {
        return e;
      }
    })() as PipelineValidationError;
    expect(error).toBeInstanceOf(PipelineValidationError);
    expect(error.code).toBe("LP_INVALID_PIPELINE");
    const kinds = error.errors.map((e) => e.constructor);
    expect(kinds).toContain(DuplicateTaskError);
    expect(kinds).toContain(MissingDependencyError);
    expect(kinds).toContain(MissingRunError);
    expect(kinds).toContain(CycleError);
    expect(error.message).toContain('Task "Load" depends on "Extrct"');
    expect(error.message).toContain('Did you mean "Extract"?');
    expect(error.message).toContain('Task "NoRun" has no run process');
    const cycle = error.errors.find((e) => e instanceof CycleError) as CycleError;
    expect(cycle.code).toBe("LP_CYCLE");
    expect(cycle.cycle[0]).toBe(cycle.cycle.at(-1));
    expect(new Set(cycle.cycle)).toEqual(new Set(["A", "B", "C"]));
    expect(error.message).toMatch(/Dependency cycle: (A|B|C) -> (A|B|C) -> (A|B|C) -> (A|B|C)/);
  });

  it("execute() refuses an invalid pipeline before running anything", async () => {
    let ran = false;
    const a = new Task("A", { dependencies: ["Missing"] });
    a.process(function run() { ran = true; });
    await expect(new Pipeline("P").add(a).execute()).rejects.toBeInstanceOf(PipelineValidationError);
    expect(ran).toBe(false);
  });

  it("orders tasks so dependencies come first, whatever the add order", () => {
    const p = new Pipeline("P").add(mk("Sum", ["One", "Two"]), mk("Two", ["Zero"]), mk("One"), mk("Zero"));
    const order = p.tasks.map((t) => t.name);
    for (const t of p.tasks) for (const d of t.dependencies) expect(order.indexOf(d)).toBeLessThan(order.indexOf(t.name));
    expect(p.ntasks).toBe(4);
  });

  it("handles a 10,000-task chain without deep recursion", () => {
    const p = new Pipeline("Chain");
    for (let i = 0; i < 10_000; i++) p.add(mk(`t${i}`, i ? [`t${i - 1}`] : []));
    expect(p.tasks.at(-1)!.name).toBe("t9999");
  });

  it("getTask names the pipeline and suggests a close name", () => {
    const p = new Pipeline("P").add(mk("TaskOne"));
    expect(() => p.getTask("TaskOen")).toThrow(UnknownTaskError);
    expect(() => p.getTask("TaskOen")).toThrow('Pipeline "P" has no task "TaskOen". Did you mean "TaskOne"?');
  });
});
