import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Finished, LP, ScratchProject } from "./support/scratch-project.js";

// Real child processes on a scratch project: `tsx main.ts`, `lp status`, `lp run`, edits in between.
let project: ScratchProject;

const ok = (r: Finished) => {
  expect(r.stderr + r.stdout).not.toMatch(/Error|failed to load/);
  expect(r.code).toBe(0);
  return r;
};
/** `lp run`, from a folder other than the project, and what ran. */
const lpRun = () => {
  ok(project.lp("run", "pipeline.ts", "/"));
  return project.ran();
};
const status = () => ok(project.lp("status", "pipeline.ts", "/")).stdout;

beforeAll(() => {
  expect(existsSync(LP)).toBe(true);
  project = new ScratchProject();
});
afterAll(() => project.remove());

describe("code fingerprints on a real project", () => {
  it("a run through tsx main.ts leaves lp status and lp run with nothing to do", () => {
    ok(project.tsx("main.ts"));
    expect(project.ran()).toEqual(["Load", "Loud", "Parse", "Plain"]);
    expect(status()).toContain("All 4 tasks are up to date.");
    expect(lpRun()).toEqual([]);
    // And back: lp's run leaves tsx with nothing to do, from another working directory too.
    ok(project.tsx("main.ts", join(project.root, "lib")));
    expect(project.ran()).toEqual([]);
    expect(existsSync(join(project.root, ".little_pipelines", "Scratch", "logs"))).toBe(true);
  });

  it("comment-only, whitespace-only and description-only edits run nothing", () => {
    project.edit("pipeline.ts", "export const load", "// Loads the rows.\n/** The loader. */\nexport const load");
    project.edit("pipeline.ts", 'mark("Parse");', 'mark("Parse"); // which task ran');
    project.edit("lib/rows.ts", "/** One CSV row as a record. */", "/**\n * One CSV row as a record: key, then value.\n */");
    project.edit("helpers/shout.ts", "=>", "=>\n  ");
    project.edit("pipeline.ts", /\n {4}run\(\) \{\n {6}mark\("Load"\);/, "\n        run() {\n\n          mark( 'Load' ) ;");
    project.edit("pipeline.ts", 'description: "reads the rows"', 'description: "reads the rows from the source"');
    expect(status()).toContain("All 4 tasks are up to date.");
    expect(lpRun()).toEqual([]);
  });

  it("an edit to one task's process re-runs that task only, and status names it", () => {
    project.edit("pipeline.ts", "return 40;", "return 41;");
    const text = status();
    expect(text).toMatch(/Plain\s+will run\s+code changed: function `base` in pipeline\.ts/);
    expect(text).toContain("1 of 4 tasks would run.");
    expect(lpRun()).toEqual(["Plain"]);
  });

  it("a process edit that keeps the result re-runs the task but not its dependents (early cutoff)", () => {
    project.edit("pipeline.ts", 'return ["a,1", "b,2"];', 'const rows = ["a,1", "b,2"];\n      return rows;');
    expect(status()).toMatch(/Load\s+will run\s+code changed: function `run` in pipeline\.ts/);
    expect(lpRun()).toEqual(["Load"]);
  });

  it("an edit to a helper imported through package.json imports re-runs exactly the tasks using it", () => {
    project.edit("lib/rows.ts", "Number(value)", "Number(value) * 10");
    expect(status()).toMatch(/Parse\s+will run\s+code changed: helper `parseRow` in lib\/rows\.ts/);
    expect(lpRun()).toEqual(["Parse"]);
  });

  it("an edit to a helper imported through a tsconfig paths alias re-runs exactly the tasks using it", () => {
    project.edit("helpers/shout.ts", '"!"', '"!!"');
    expect(status()).toMatch(/Loud\s+will run\s+code changed: helper `shout` in helpers\/shout\.ts/);
    expect(lpRun()).toEqual(["Loud"]);
  });

  it("a helper in the pipeline module re-runs the tasks that use it, through tsx as well", () => {
    project.edit("pipeline.ts", 'name + "\\n"', '"" + name + "\\n"');
    ok(project.tsx("main.ts"));
    expect(project.ran()).toEqual(["Load", "Loud", "Parse", "Plain"]);
    expect(lpRun()).toEqual([]);
  });

  it("two project folders with the same pipeline name keep independent caches", () => {
    const other = project.copy();
    try {
      ok(other.lp("run", "pipeline.ts"));
      expect(other.ran()).toEqual(["Load", "Loud", "Parse", "Plain"]);
      other.edit("pipeline.ts", "return 41;", "return 7;");
      ok(other.lp("run", "pipeline.ts"));
      expect(other.ran()).toEqual(["Plain"]);
      // The first project is untouched by the second's runs and keeps its own results.
      expect(lpRun()).toEqual([]);
      expect(status()).toContain("All 4 tasks are up to date.");
    } finally {
      other.remove();
    }
  });

  it("lp status marks a task whose code can only be fingerprinted by its own source", () => {
    project.edit("pipeline.ts", "export default new Pipeline", 'const made = (factor: number) => task("Made", { run: () => factor * 2 });\n\nexport default new Pipeline');
    project.edit("pipeline.ts", ".add(load, parse, loud, plain)", ".add(load, parse, loud, plain, made(3))");
    const text = status();
    expect(text).toContain("Made: code fingerprint: function source only for what is not followed: `factor` is not a top-level binding of pipeline.ts");
    expect(text).toContain("1 of 5 tasks would run.");
    const json = JSON.parse(ok(project.run([LP, "status", join(project.root, "pipeline.ts"), "--json"], "/")).stdout);
    const made = json.tasks.find((t: { name: string }) => t.name === "Made");
    expect(made.codeNote).toMatch(/^code fingerprint: function source only/);
    expect(json.tasks.find((t: { name: string }) => t.name === "Plain").codeNote).toBeNull();
  });

  it("lp status --json lists the changed parts", () => {
    project.edit("lib/rows.ts", "* 10", "* 100");
    const json = JSON.parse(ok(project.run([LP, "status", join(project.root, "pipeline.ts"), "--json"], "/")).stdout);
    const parse = json.tasks.find((t: { name: string }) => t.name === "Parse");
    expect(parse.reason).toEqual({ kind: "code-changed", parts: ["helper `parseRow` in lib/rows.ts"] });
  });
});
