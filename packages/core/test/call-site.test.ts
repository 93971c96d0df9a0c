import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Pipeline, Task, task } from "../src/index.js";
import { skipCallSitesUnder } from "../src/internal.js";
import { NamedTask, makeMany, makeTask, makeWithHelper } from "./fixtures/call-sites/helpers.js";
import { WrappedTask, wrapped } from "./fixtures/call-sites/wrapper/wrap.js";

const here = fileURLToPath(import.meta.url);
const fixtures = join(dirname(here), "fixtures", "call-sites");
const helpers = join(fixtures, "helpers.ts");
skipCallSitesUnder(join(fixtures, "wrapper"));

describe("the module that defined a task", () => {
  it("is the caller of new Task() or task(), here or in a loop", () => {
    expect(new Task("A").definedIn).toBe(here);
    expect(task("B", { run: () => 1 }).definedIn).toBe(here);
    const built = [];
    for (let i = 0; i < 300; i++) built.push(i % 2 ? new Task(`t${i}`) : task(`t${i}`, { run: () => i }));
    expect(new Set(built.map((t) => t.definedIn))).toEqual(new Set([here]));
    expect(["x", "y"].map((n) => new Task(n)).map((t) => t.definedIn)).toEqual([here, here]);
  });

  it("is the helper module that built it, whoever called the helper", () => {
    expect(makeTask("A").definedIn).toBe(helpers);
    expect(makeWithHelper("B").definedIn).toBe(helpers);
    expect(makeMany(["C", "D"]).map((t) => t.definedIn)).toEqual([helpers, helpers]);
    expect(new NamedTask("E").definedIn).toBe(helpers);
  });

  it("skips a wrapping library's frames, however deep, to its caller", () => {
    expect(wrapped("A").definedIn).toBe(here);
    expect(wrapped("B", true).definedIn).toBe(here);
    expect(new WrappedTask("C").definedIn).toBe(here);
  });

  it("looks past frames without a file", () => {
    expect(Reflect.construct(Task, ["A"]).definedIn).toBe(here);
    expect(Reflect.apply(task, undefined, ["B", { run: () => 1 }]).definedIn).toBe(here);
  });

  it("is found for a pipeline too, and task() leaves nothing behind for the next new Task()", () => {
    expect(new Pipeline("P").definedIn).toBe(here);
    expect(() => task("", { run: () => 1 })).toThrow("name");
    expect(makeTask("A").definedIn).toBe(helpers);
    expect(wrapped("B").definedIn).toBe(here);
  });
});
