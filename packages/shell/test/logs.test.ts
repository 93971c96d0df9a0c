import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { CLI, childEnv, fixture, lpIn, PKG, requireBuild, run, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

describe.concurrent("a task's logged lines", () => {
  it("lp logs TASK prints the task's own lines from earlier runs, and only its", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const logDir = join(store.dir, "lp-logs");
    mkdirSync(logDir);
    const env = { LP_TEST_LOG_DIR: logDir };
    expect((await lpIn(PKG, ["run", fixture("logged.mjs")], store, env)).code).toBe(0);
    const loud = await lpIn(PKG, ["logs", "Loud", fixture("logged.mjs")], store, env);
    expect(loud.code).toBe(0);
    expect(loud.stdout).toContain("read 3 rows from the export");
    expect(loud.stdout).toContain("row 2 has no date");
    expect(loud.stdout).not.toContain("Quiet");
    const quiet = await lpIn(PKG, ["logs", "Quiet", fixture("logged.mjs")], store, env);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/\| Quiet \|/);
    expect(quiet.stdout).not.toContain("read 3 rows");
    const unknown = await lpIn(PKG, ["logs", "Lodu", fixture("logged.mjs")], store, env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(`has no task "Lodu"`);
  });

  it("a mapped task's lines name the branch that wrote them, in its own log and the pipeline's", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const logDir = join(store.dir, "lp-logs");
    mkdirSync(logDir);
    const env = { LP_TEST_LOG_DIR: logDir };
    expect((await lpIn(PKG, ["run", fixture("logged-mapped.mjs")], store, env)).code).toBe(0);
    const logs = await lpIn(PKG, ["logs", "Lengths", fixture("logged-mapped.mjs")], store, env);
    expect(logs.code).toBe(0);
    const pipelineLog = readFileSync(join(logDir, "~pipeline.log"), "utf8");
    for (const text of [logs.stdout, pipelineLog]) {
      expect(text).toMatch(/\| Lengths \| INFO +\| Lengths\[0\]: counted a\n/);
      expect(text).toMatch(/\| Lengths \| INFO +\| Lengths\[2\]: counted ccc\n/);
      expect(text).toMatch(/\| Lengths \| PERF +\| Lengths\[1\]: run finished \(in /);
      expect(text).not.toMatch(/\| Lengths \| PERF +\| run finished/);
    }
  });

  it("lp logs says so, and exits 1, when the pipeline's logger keeps no files", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lpIn(PKG, ["logs", "Sum", fixture("numbers.js")], store);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("keeps no log files");
  });

  it("the shell's logs command prints the same lines", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const logDir = join(store.dir, "lp-logs");
    mkdirSync(logDir);
    const env = childEnv(store, { LP_TEST_LOG_DIR: logDir });
    const result = await run(process.execPath, [CLI, "shell", fixture("logged.mjs")], env, "execute\nlogs Loud\nexit\n");
    expect(result.code).toBe(0);
    const after = result.stdout.slice(result.stdout.lastIndexOf("Pipeline complete!"));
    expect(after).toContain("read 3 rows from the export");
  });
});
