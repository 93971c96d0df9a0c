import { spawn } from "node:child_process";
import { beforeAll, describe, it } from "vitest";
import { CLI, PKG, type Finished, childEnv, fixture, requireBuild, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

/**
 * `lp run` on the misbehaving fixture, killed if it has not ended after 30 s (a task's
 * timer runs for 60 s). With `ctrlC`, SIGINT is sent once the bad task has started.
 */
function lpRun(mode: string, store: ReturnType<typeof tempStore>, ctrlC = false): Promise<Finished & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "run", fixture("misbehaving.js")], { cwd: PKG, env: childEnv(store, { LP_FIXTURE_MODE: mode }) });
    let stdout = "";
    let stderr = "";
    let killed = false;
    let interrupted = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, 30_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (ctrlC && !interrupted && stdout.includes("Bad started")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

describe.concurrent("lp run ends as a user expects", () => {
  it("a task that never settles is reported failed, with a summary, exit 1", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const run = await lpRun("never-settles", store);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Bad.*never finished/);
    expect(store.keys()).toEqual(["Good"]);
  });

  it("a task that calls process.exit(0) fails; the run goes on and exits 1", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const run = await lpRun("exits", store);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Task "Bad" called process.exit(0)');
    expect(store.keys()).toEqual(["Good"]);
  });

  it("an error thrown in a task's timer is contained: the run finishes, keeps its results, names the task and exits 1", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const run = await lpRun("escapes", store);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Bad\s+: WARN : An error escaped this task's code after it finished .*: thrown in a timer/);
    expect(run.stdout).toContain("Pipeline failed! Ran 2/2 tasks");
    expect(run.stdout).toContain("1 error escaped the tasks' code");
    expect(run.stdout).toContain("  escaped Bad: thrown in a timer");
    expect(run.stderr).not.toMatch(/^\s+at /m); // no raw stack
    expect(store.keys()).toEqual(["Bad", "Good"]);
  });

  it("exits after a task times out, though its timer is still pending", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const run = await lpRun("times-out", store);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/timed out after 200 ms/);
  });

  it("exits after Ctrl-C, though a task ignores its signal", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const run = await lpRun("ignores-ctrl-c", store, true);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(130);
  });
});
