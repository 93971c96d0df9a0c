import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, it } from "vitest";
import { CLI, PKG, childEnv, fixture, lp, lpIn, requireBuild, run, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

const FILE = fixture("logged-failing.mjs");

/** The reason column of `lp status` for each task. */
function reasons(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^ {2}(\S+)\s+(?:will run|up to date)\s+(.+)$/gm)) out[m[1]!] = m[2]!;
  return out;
}

describe.concurrent("why lp status says a task has no stored result", () => {
  it("tells a task that never ran from one that failed, one whose result was cleared and one killed mid-run", async ({
    expect,
    onTestFinished,
  }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const logDir = join(store.dir, "lp-status-logs");
    mkdirSync(logDir);
    const env = { LP_TEST_LOG_DIR: logDir };
    const status = async () => {
      const result = await lpIn(PKG, ["status", FILE], store, env);
      expect(result.code).toBe(0);
      return reasons(result.stdout);
    };

    expect(await status()).toEqual({
      Good: "never run (no stored result)",
      Bad: "never run (no stored result)",
      AfterBad: "never run (no stored result)",
      Slow: "never run (no stored result)",
    });

    expect((await lpIn(PKG, ["run", FILE], store, env)).code).toBe(1);
    expect(await status()).toEqual({
      Good: "cached result is fresh",
      Bad: "no stored result: failed the last time it ran; see lp logs Bad",
      AfterBad: "no stored result: failed the last time it ran; see lp logs AfterBad",
      Slow: "cached result is fresh",
    });

    expect((await lpIn(PKG, ["cache", "clear", "--task", "Good", FILE], store, env)).code).toBe(0);
    expect((await lpIn(PKG, ["cache", "clear", "--task", "Slow", FILE], store, env)).code).toBe(0);
    expect((await status()).Good).toBe("no stored result: cleared or removed since it last ran");

    // Killed while Slow runs: its log has its EXEC line and nothing after.
    const child = spawn(process.execPath, [CLI, "run", FILE, "--only", "Slow"], {
      cwd: PKG,
      env: childEnv(store, { ...env, LP_TEST_HANG: "1" }),
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const log = () =>
      readdirSync(logDir)
        .map((n) => (n.endsWith(".log") ? readFileSync(join(logDir, n), "utf8") : ""))
        .join("");
    let waited = 0;
    const slowStarts = () => (existsSync(logDir) ? log() : "").split("| Slow | EXEC").length - 1;
    while (slowStarts() < 2 && waited < 60_000) {
      await sleep(100);
      waited += 100;
    }
    child.kill("SIGKILL");
    await exited;
    expect(slowStarts()).toBe(2);
    expect((await status()).Slow).toBe("no stored result: did not finish the last time it ran; see lp logs Slow");
  });

  it("the shell's info gives the same reason, naming its own logs command", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const logDir = join(store.dir, "lp-status-logs");
    mkdirSync(logDir);
    const result = await run(
      process.execPath,
      [CLI, "shell", FILE],
      childEnv(store, { LP_TEST_LOG_DIR: logDir }),
      "execute\ninfo Bad\nstatus\nexit\n",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/next run +will run \(no stored result: failed the last time it ran; see logs Bad\)/);
    expect(result.stdout).toMatch(/Bad +will run +no stored result: failed the last time it ran; see logs Bad/);
  });

  it("says only that there is no stored result when the pipeline keeps no log files", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    expect((await lp(["run", fixture("numbers.js")], store)).code).toBe(0);
    expect((await lp(["cache", "clear", "--task", "Sum", fixture("numbers.js")], store)).code).toBe(0);
    const result = await lp(["status", fixture("numbers.js")], store);
    expect(reasons(result.stdout).Sum).toBe("no stored result");
  });
});
