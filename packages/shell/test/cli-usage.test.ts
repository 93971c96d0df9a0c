import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { PKG } from "./support/processes.js";

/** Runs `lp` in this process with captured output. */
async function lpHere(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, cwd: PKG, env: { NO_COLOR: "1" } });
  return { code, stdout: out, stderr: err };
}

describe("lp usage errors", () => {
  const bad: [string, string[], RegExp][] = [
    ["no command", [], /missing a command/],
    ["an unknown command", ["launch", "x.ts"], /unknown command "launch"; the commands are run, status, shell, cache/],
    ["an unknown top-level option", ["--verbose"], /unknown option "--verbose"/],
    ["no pipeline file", ["status"], /missing the pipeline file/],
    ["two pipeline files", ["run", "a.ts", "b.ts"], /unexpected argument "b\.ts"/],
    ["an unsupported extension", ["run", "package.json"], /unsupported extension ".json"/],
    ["a folder instead of a file", ["run", "test"], /test is not a file/],
    ["an option without its value", ["run", "a.ts", "--only"], /option --only needs a value/],
    ["--no-deps without --only", ["run", "a.ts", "--no-deps"], /--no-deps goes with --only/],
    ["a bad concurrency", ["run", "a.ts", "--concurrency", "0"], /--concurrency must be a whole number from 1 up, got "0"/],
    ["a bad thread count", ["run", "a.ts", "--threads=0"], /--threads must be a whole number from 1 up, got "0"/],
    ["an unknown cache action", ["cache", "wipe", "a.ts"], /expected ls, clear, prune or verify, got "wipe"/],
    ["an option of another cache action", ["cache", "prune", "a.ts", "--hard"], /--hard does not apply here/],
    ["an unknown graph format", ["graph", "a.ts", "--format", "png"], /unknown format "png"; use one of tree, mermaid, dot/],
    ["an unknown graph direction", ["graph", "a.ts", "--direction", "up"], /unknown direction "up"; use LR or TD/],
    ["--task with --hard", ["cache", "clear", "a.ts", "--task", "A", "--hard"], /--hard clears everything/],
  ];
  it.each(bad)("exit 2 and one line for %s", async (_, args, message) => {
    const result = await lpHere(args);
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
    expect((await lpHere(["help", "cache"])).stdout).toContain("lp cache prune <file>");
  });
});
