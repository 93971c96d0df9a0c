// The command line's public entry points. They load the command line itself (its program,
// commands and formatting) when first called, so importing the package does not compile it.
import type { CliIO } from "./io.js";

/**
 * The `lp` command line: runs one command and resolves its exit code (0 success,
 * 1 a task failed, 2 bad usage, 130 interrupted). Never throws; errors are printed.
 *
 * @param argv - the arguments after `lp`, e.g. `["run", "pipeline.ts", "--force"]`
 * @param io - streams and folder to use; the process's own by default
 * @example process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  return (await import("./main.js")).runCli(argv, io);
}

/**
 * The `lp` executable: runs the command line with a task's stray errors contained, then
 * ends the process once its output is written; an escaped error makes the exit code 1.
 *
 * @param argv - the arguments after `lp`
 */
export async function lpMain(argv: readonly string[]): Promise<void> {
  return (await import("./bin.js")).lpMain(argv);
}
