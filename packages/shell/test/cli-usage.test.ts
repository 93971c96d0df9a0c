import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { PKG } from "./support/processes.js";

/** Runs `lp` in this process with captured output. */
async function lpHere(args: string[], env: NodeJS.ProcessEnv = {}, cwd = PKG) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, cwd, env: { NO_COLOR: "1", ...env } });
  return { code, stdout: out, stderr: err };
}

describe("lp usage errors", () => {
  const bad: [string, string[], RegExp][] = [
    ["no command", [], /missing a command/],
    ["an unknown command", ["launch", "x.ts"], /unknown command 'launch'/],
    ["a mistyped command, with a suggestion", ["rn", "x.ts"], /^lp: unknown command 'rn' \(did you mean run\?\)$/m],
    ["a mistyped cache action, with a suggestion", ["cache", "lss"], /unknown command 'lss' \(did you mean ls\?\)/],
    ["an unknown top-level option", ["--verbose"], /unknown option '--verbose'/],
    ["no pipeline file and none to find", ["status"], /no pipeline\.ts, pipeline\.mts, .* and no "little-pipelines": \{ "pipeline": "…" \} in its package\.json/],
    ["two pipeline files", ["run", "a.ts", "b.ts"], /too many arguments for 'run'/],
    ["an unsupported extension", ["run", "package.json"], /unsupported extension ".json"/],
    ["a folder instead of a file", ["run", "test"], /test is not a file/],
    ["an option without its value", ["run", "a.ts", "--only"], /option '--only <task>' argument missing/],
    ["--no-deps without --only", ["run", "a.ts", "--no-deps"], /--no-deps goes with --only/],
    ["a bad concurrency", ["run", "a.ts", "--concurrency", "0"], /--concurrency must be a whole number from 1 up, or Infinity for no limit, got "0"/],
    ["a negative concurrency", ["run", "a.ts", "--concurrency", "-1"], /--concurrency must be a whole number from 1 up, or Infinity for no limit, got "-1"/],
    ["a bad thread count", ["run", "a.ts", "--threads=0"], /--threads must be a whole number from 1 up, got "0"/],
    ["a worker without --redis", ["worker", "a.ts"], /lp worker: missing --redis URL/],
    ["a bad worker concurrency", ["worker", "a.ts", "--redis", "redis://h", "--concurrency", "x"], /--concurrency must be a whole number from 1 up, got "x"/],
    ["a bad worker thread count", ["worker", "a.ts", "--threads=0"], /lp worker: --threads must be a whole number from 1 up, got "0"/],
    ["--threads with --redis", ["run", "a.ts", "--threads", "--redis", "redis://h"], /--threads and --redis do not go together/],
    ["an unknown cache action", ["cache", "wipe", "a.ts"], /unknown command 'wipe'/],
    ["an option of another cache action", ["cache", "prune", "a.ts", "--hard"], /unknown option '--hard'/],
    ["an unknown log level in LP_LOG_LEVEL", ["status", "a.ts"], /LP_LOG_LEVEL="verbose" is not a level; use one of silent, error, warn, info, perf, debug/],
    ["an unknown graph format", ["graph", "a.ts", "--format", "png"], /unknown format "png"; use one of tree, mermaid, dot/],
    ["an unknown graph direction", ["graph", "a.ts", "--direction", "up"], /unknown direction "up"; use LR or TD/],
    ["--task with --hard", ["cache", "clear", "a.ts", "--task", "A", "--hard"], /--hard clears everything/],
  ];
  it.each(bad)("exit 2 and one line for %s", async (what, args, message) => {
    const result = await lpHere(args, what.includes("LP_LOG_LEVEL") ? { LP_LOG_LEVEL: "verbose" } : {});
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^lp[ :][^\n]+\n$/);
    expect(result.stderr).toMatch(message);
  });

  it("prints a command's help with exit 0", async () => {
    for (const command of ["run", "status", "shell", "cache", "graph"]) {
      const result = await lpHere([command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: lp ${command}`);
    }
    expect((await lpHere(["help", "cache"])).stdout).toMatch(/prune \[options\] \[file\]\s+Remove expired results/);
    // What prune removes, all of it: expired, damaged or lost results, and unreferenced bodies.
    const prune = (await lpHere(["cache", "prune", "--help"])).stdout.replace(/\s+/g, " ");
    expect(prune).toContain("Remove expired results and those whose stored body is damaged or gone");
    expect(prune).toContain("delete bodies no result refers to (only while no other process has the cache open)");
    expect(prune).toContain("an unexpired, intact result is never removed");
    const main = await lpHere(["--help"]);
    for (const name of ["LP_HOME", "LP_LOG_LEVEL", "LP_LOG_DIR", "LP_LOG_STREAM"]) expect(main.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
  });
});
