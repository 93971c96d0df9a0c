import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./fixtures.js";

// Start-up is paid on every run: consola is loaded when a task first logs, not when the
// package is imported. Measured in a real child process, on the built package.
const DIST = new URL("../dist/index.js", import.meta.url).href;

// Preloaded with --import: records every module the process imports or requires, printed at exit.
const RECORDER = fileURLToPath(new URL("../../../test-support/record-loads.mjs", import.meta.url));

/** Runs an ES module body with the built package as `logging`; returns every module it loaded. */
function loads(body: string): { loaded: string[]; stdout: string } {
  const r = spawnSync(process.execPath, ["--import", RECORDER, "--input-type=module", "-e", `const logging = await import(${JSON.stringify(DIST)});\n${body}`], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, LP_HOME: tempDir() },
    encoding: "utf8",
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const { loaded } = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { loaded: string[] };
  return { loaded, stdout: r.stdout };
}

const consola = (loaded: string[]) => loaded.filter((url) => /[\\/]node_modules[\\/]consola[\\/]/.test(url));

/** A run of two tasks through the logger, where `B` logs when `log` is true. */
const run = (log: boolean) => `
  const logger = logging.createLogger({ stream: { write: (s) => process.stdout.write(s) }, env: {} });
  const at = Date.now();
  const decision = { kind: "never-run", text: "never run" };
  const record = { state: "executed", durationMs: 1, attempts: 1 };
  logger.event({ type: "run:start", pipeline: "P", tasks: ["A", "B"], at });
  for (const task of ["A", "B"]) {
    const own = logger.forTask(task, "P");
    logger.event({ type: "task:start", task, attempt: 1, decision, at });
    if (${log} && task === "B") own.info("hello from %s", task);
    logger.event({ type: "task:done", task, record, at });
  }
  logger.event({ type: "run:end", summary: { ok: true, interrupted: false, durationMs: 2, totals: { total: 2, executed: 2, cached: 0, skipped: 0, failed: 0, upstreamFailed: 0, cancelled: 0 }, criticalPath: [], tasks: {} }, at });
  await logger.flush();`;

describe("loading @lp/logging", () => {
  it("loads no consola for a run whose tasks do not log", () => {
    const { loaded, stdout } = loads(run(false));
    expect(loaded.some((url) => url.endsWith("/logging/dist/index.js"))).toBe(true);
    expect(stdout).toMatch(/B +: DONE : \(in 0:00\.00\)/);
    expect(consola(loaded)).toEqual([]);
  });

  it("loads consola when a task logs, and shows the line", () => {
    const { loaded, stdout } = loads(run(true));
    expect(stdout).toMatch(/B +: INFO : hello from B/);
    expect(consola(loaded).length).toBeGreaterThan(0);
  });
});
