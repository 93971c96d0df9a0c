import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const core = pathToFileURL(join(import.meta.dirname, "..", "dist", "index.js")).href;

/**
 * A user's own script, run by node: Good takes 300 ms while Bad misbehaves as `bad` says.
 * It prints the summary as JSON, then what the process looks like after the run.
 */
function userScript(bad: string, after = "", runner: string[] = [], ext = "mjs") {
  const file = join(tempDir(), `pipeline.${ext}`);
  writeFileSync(
    file,
    `import { MemoryStore, Pipeline, task, silentLogger } from ${JSON.stringify(core)};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const good = task("Good", { run: async () => { await sleep(300); return "good result"; } });
const bad = task("Bad", { run: async () => { ${bad} } });
const handlers = () => [process.listenerCount("uncaughtException"), process.listenerCount("unhandledRejection"), process.exit.name];
const before = handlers();
const store = new MemoryStore();
const summary = await new Pipeline("P", { logger: silentLogger(), store }).add(good, bad).execute();
const tasks = Object.fromEntries(summary.tasks.map((t) => [t.name, { state: t.state, code: t.error?.code, message: t.error?.message }]));
console.log(JSON.stringify({ ok: summary.ok, tasks, escaped: summary.escaped, stored: (await store.list()).map((m) => m.key).sort() }));
console.log(JSON.stringify({ restored: JSON.stringify(handlers()) === JSON.stringify(before), exitCode: process.exitCode }));
${after}
`,
  );
  const run = spawnSync(runner[0] ?? process.execPath, [...runner.slice(1), file], { encoding: "utf8", timeout: 60_000 });
  const [summary, process_] = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
  return { code: run.status, stderr: run.stderr, summary, after: process_ };
}

describe("in a user's own script, execute() contains what a task's code does to the process", () => {
  it.each([
    ["a throw in a timer", 'setTimeout(() => { throw new Error("boom in a timer"); }, 10); await sleep(200); return 1;', "boom in a timer"],
    ["a rejection nobody handles", 'Promise.reject(new Error("nobody handles me")); await sleep(200); return 1;', "nobody handles me"],
  ])("%s while the task runs fails that task; the others finish and are kept; exit code 1", (_, bad, message) => {
    const run = userScript(bad);
    expect(run.stderr).toBe(""); // no raw stack
    expect(run.code).toBe(1);
    expect(run.summary.ok).toBe(false);
    expect(run.summary.tasks.Good).toEqual({ state: "executed" });
    expect(run.summary.tasks.Bad.state).toBe("failed");
    expect(run.summary.tasks.Bad.code).toBe("LP_ESCAPED");
    expect(run.summary.tasks.Bad.message).toContain(`Task "Bad": an error escaped its code`);
    expect(run.summary.tasks.Bad.message).toContain(message);
    expect(run.summary.stored).toEqual(["Good"]);
    expect(run.after).toEqual({ restored: true, exitCode: 1 });
  });

  it("a throw in a timer after the task finished is reported against it in the summary; results are kept; exit code 1", () => {
    const run = userScript('setTimeout(() => { throw new Error("boom later"); }, 10); return 1;');
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.summary.ok).toBe(false);
    expect(run.summary.tasks).toEqual({ Good: { state: "executed" }, Bad: { state: "executed" } });
    expect(run.summary.escaped).toEqual([{ task: "Bad", message: "boom later" }]);
    expect(run.summary.stored).toEqual(["Bad", "Good"]);
    expect(run.after).toEqual({ restored: true, exitCode: 1 });
  });

  it.each([
    ["in the task's code", "process.exit(0);"],
    ["in a timer of the task's", "setTimeout(() => process.exit(0), 10); await sleep(200); return 1;"],
  ])("process.exit(0) %s fails the task instead of ending the run silently; exit code 1", (_, bad) => {
    const run = userScript(bad);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.summary.tasks.Good).toEqual({ state: "executed" });
    expect(run.summary.tasks.Bad.code).toBe("LP_TASK_EXIT");
    expect(run.summary.tasks.Bad.message).toContain('Task "Bad" called process.exit(0)');
    expect(run.summary.stored).toEqual(["Good"]);
    expect(run.after).toEqual({ restored: true, exitCode: 1 });
  });

  it("after the run Node's own handling is back: a later throw ends the script with its stack, and process.exit works", () => {
    const thrown = userScript("return 1;", 'setTimeout(() => { throw new Error("not the run\'s"); }, 5);');
    expect(thrown.summary.ok).toBe(true);
    expect(thrown.after).toEqual({ restored: true });
    expect(thrown.code).toBe(1);
    expect(thrown.stderr).toContain("Error: not the run's");
    expect(thrown.stderr).toMatch(/^\s+at /m);
    const exited = userScript("return 1;", "process.exit(7);");
    expect(exited.code).toBe(7);
  });

  it("the same in a TypeScript script run with tsx", () => {
    const tsx = join(import.meta.dirname, "..", "..", "..", "node_modules", ".bin", "tsx");
    const run = userScript('setTimeout(() => { throw new Error("boom in a timer"); }, 10); await sleep(200); return 1;', "", [tsx], "mts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.summary.tasks.Good).toEqual({ state: "executed" });
    expect(run.summary.tasks.Bad.code).toBe("LP_ESCAPED");
    expect(run.summary.stored).toEqual(["Good"]);
  });

  it("a clean run leaves the exit code alone", () => {
    const run = userScript("return 1;");
    expect(run.code).toBe(0);
    expect(run.summary.ok).toBe(true);
    expect(run.summary.escaped).toBeUndefined();
  });
});
