import { UsageError } from "../errors.js";
import { checkEnv } from "./env.js";
import { reportError } from "./errors.js";
import { EXIT, defaultIO, type CliIO } from "./io.js";
import { buildProgram, isCommanderError, isHelpOrVersion } from "./program.js";
import { takeThreadsFlag } from "./threads-flag.js";

/**
 * The `lp` command line: runs one command and resolves its exit code (0 success,
 * 1 a task failed, 2 bad usage, 130 interrupted). Never throws; errors are printed.
 *
 * @param argv - the arguments after `lp`, e.g. `["run", "pipeline.ts", "--force"]`
 * @param io - streams and folder to use; the process's own by default
 * @example process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const full: CliIO = { ...defaultIO(), ...io };
  let code: number = EXIT.ok;
  const logStream = process.env.LP_LOG_STREAM;
  try {
    const first = argv[0];
    if (first === undefined) throw new UsageError("lp", 'missing a command (run, status, graph, shell, cache, worker). Run "lp --help" for usage.');
    const helpOnly = first === "help" || argv.includes("--help") || argv.includes("-h") || first === "--version" || first === "-v";
    if (!helpOnly) checkEnv(full.env);
    const args = first === "help" ? [...argv.slice(1), "--help"] : [...argv];
    // `--threads` takes an optional number, so `lp run --threads pipeline.ts` must not read the file as one.
    const { rest, threads } = first === "run" || first === "worker" ? takeThreadsFlag(args.slice(1), `lp ${first}`) : { rest: args.slice(1), threads: undefined };
    await (await buildProgram(full, (c) => (code = c), threads)).parseAsync([args[0]!, ...rest], { from: "user" });
    return code;
  } catch (error) {
    if (await isHelpOrVersion(error)) return EXIT.ok;
    // commander has printed its own message (with a suggestion for a mistyped command).
    if (await isCommanderError(error)) return EXIT.usage;
    return reportError(error, full.stderr);
  } finally {
    if (logStream === undefined) delete process.env.LP_LOG_STREAM;
    else process.env.LP_LOG_STREAM = logStream;
  }
}
