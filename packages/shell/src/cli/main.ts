import { UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { cacheCommand } from "./commands/cache.js";
import { graphCommand } from "./commands/graph.js";
import { runCommand } from "./commands/run.js";
import { shellCommand } from "./commands/shell.js";
import { statusCommand } from "./commands/status.js";
import { reportError } from "./errors.js";
import { EXIT, defaultIO, line, type CliIO } from "./io.js";
import { USAGE } from "./usage.js";

type Command = (args: readonly string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  status: statusCommand,
  shell: shellCommand,
  cache: cacheCommand,
  graph: graphCommand,
};

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
  const [first, ...rest] = argv;
  try {
    if (first === "--help" || first === "-h" || first === "help") {
      const topic = first === "help" ? rest[0] : undefined;
      line(full.stdout, topic && topic in USAGE ? USAGE[topic as keyof typeof USAGE] : USAGE.main);
      return EXIT.ok;
    }
    if (first === "--version" || first === "-v" || first === "-V") {
      line(full.stdout, VERSION);
      return EXIT.ok;
    }
    if (first === undefined) throw new UsageError("lp", 'missing a command. Run "lp --help" for usage.');
    const command = COMMANDS[first];
    if (!command) {
      const what = first.startsWith("-") ? `unknown option "${first}"` : `unknown command "${first}"`;
      throw new UsageError("lp", `${what}; the commands are ${Object.keys(COMMANDS).join(", ")}. Run "lp --help" for usage.`);
    }
    return await command(rest, full);
  } catch (error) {
    return reportError(error, full.stderr);
  }
}
