import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const fixtures = join(import.meta.dirname, "fixtures");

function start(file: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", join(fixtures, file)], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { out: "", err: "" };
  child.stdout.on("data", (c: Buffer) => (output.out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output.err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, output, exited };
}

const lastJson = (out: string) => JSON.parse(out.trim().split("\n").at(-1)!);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

it('a file that defines a pipeline and runs it at top level works with executor: "threads"', async () => {
  const home = mkdtempSync(join(tmpdir(), "lp-threads-qs-"));
  const after = join(home, "after-execute");
  const env = { LP_HOME: home, AFTER_EXECUTE_FILE: after };
  const cold = start("quick-start.ts", env);
  expect(await cold.exited).toBe(0);
  const report = lastJson(cold.output.out);
  expect(report).toMatchObject({ ok: true, states: ["executed", "executed"], total: { sum: 6 } });
  expect(report.total.thread).not.toBe(0);
  // The pipeline ran once: workers imported the file for its tasks and stopped at execute().
  expect(readFileSync(after, "utf8")).toBe("0\n");
  expect(cold.output.out.match(/Starting pipeline/g)).toHaveLength(1);
  // Lines logged on worker threads reach the run's output, in order …
  const out = cold.output.out;
  const order = ["parsing", "parsed 3 rows on a worker: true", "adding"].map((l) => out.indexOf(l));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  // … and the task's log file.
  const logFile = filesUnder(home).find((f) => f.endsWith(".log") && f.includes("Load"));
  expect(logFile).toBeDefined();
  const log = readFileSync(logFile!, "utf8");
  expect(log.indexOf("parsing")).toBeGreaterThanOrEqual(0);
  expect(log.indexOf("parsing")).toBeLessThan(log.indexOf("parsed 3 rows on a worker: true"));

  const warm = start("quick-start.ts", env);
  expect(await warm.exited).toBe(0);
  expect(lastJson(warm.output.out).states).toEqual(["cached", "cached"]);
});

it("Ctrl-C stops busy worker threads and keeps finished results", async () => {
  const home = mkdtempSync(join(tmpdir(), "lp-threads-sigint-"));
  const run = start("ctrl-c.ts", { LP_HOME: home });
  let pressedAt = 0;
  run.child.stdout.on("data", () => {
    const { out } = run.output;
    // Quick is finished once its DONE line is out (its result saved), not when it logs.
    if (!pressedAt && /Quick\b.*DONE/.test(out) && out.split("busy-started").length - 1 === 2) {
      pressedAt = performance.now();
      run.child.kill("SIGINT");
    }
  });
  const code = await run.exited;
  const stoppedMs = performance.now() - pressedAt;
  expect(pressedAt).toBeGreaterThan(0);
  expect(code).toBe(130);
  // Both tasks loop forever: the process could only exit because their threads were stopped.
  expect(lastJson(run.output.out)).toEqual({ interrupted: true, states: { Quick: "executed", BusyOne: "cancelled", BusyTwo: "cancelled" } });
  console.log(`Ctrl-C to exit with two busy worker threads: ${stoppedMs.toFixed(0)} ms`);

  const check = start("ctrl-c.ts", { LP_HOME: home, MODE: "check" });
  expect(await check.exited).toBe(0);
  expect(lastJson(check.output.out)).toEqual({ quick: 7, status: "Quick: will not run (cached result is fresh)" });
});
