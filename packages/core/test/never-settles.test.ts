import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const core = pathToFileURL(join(import.meta.dirname, "..", "dist", "index.js")).href;
const internal = pathToFileURL(join(import.meta.dirname, "..", "dist", "internal.js")).href;

/** Runs a script that awaits a pipeline in a node process of its own. */
function script(body: string) {
  const file = join(tempDir(), "run.mjs");
  writeFileSync(file, `import { Pipeline, task, silentLogger } from ${JSON.stringify(core)};\nimport { currentTask } from ${JSON.stringify(internal)};\n${body}`);
  return spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 });
}

describe("a task whose promise never settles", () => {
  it("fails with LP_NEVER_SETTLED once nothing else can run; the others finish and the run ends with a summary", () => {
    const run = script(`
const stuck = task("Stuck", { run: () => new Promise(() => {}) });
const fine = task("Fine", { run: async () => { await new Promise((r) => setTimeout(r, 50)); return 1; } });
const after = task("After", { dependencies: [stuck], run: () => 2 });
const alone = task("Alone", { run: () => 3 });
const pipeline = new Pipeline("P", { logger: silentLogger(), concurrency: 2 }).add(stuck, fine, after, alone);
const summary = await pipeline.execute();
console.log(JSON.stringify(summary.tasks.map((t) => [t.name, t.state, t.error?.code ?? null])));
console.log("ok", summary.ok);
`);
    expect(run.stderr).toBe("");
    const [states, ok] = run.stdout.trim().split("\n");
    expect(JSON.parse(states!).sort()).toEqual(
      [
        ["After", "upstream-failed", "LP_DEPENDENCY_FAILURE"],
        ["Alone", "executed", null],
        ["Fine", "executed", null],
        ["Stuck", "failed", "LP_NEVER_SETTLED"],
      ].sort(),
    );
    expect(ok).toBe("ok false");
  });

  it("is not retried, and errors escaping a task can be put down to it", () => {
    const run = script(`
let attempts = 0;
let escaped;
process.on("uncaughtException", () => { escaped = currentTask(); });
const stuck = task("Stuck", { retries: 3, run: () => { attempts++; setTimeout(() => { throw new Error("late"); }, 1); return new Promise(() => {}); } });
const summary = await new Pipeline("P", { logger: silentLogger() }).add(stuck).execute();
console.log(attempts, summary.tasks[0].state, escaped);
`);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("1 failed Stuck");
  });
});
