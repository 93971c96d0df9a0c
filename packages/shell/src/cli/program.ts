import type { Command } from "commander";
import { VERSION } from "../version.js";
import { CONVENTIONAL_NAMES, PACKAGE_FIELD } from "../load/find-file.js";
import { cacheClearCommand, cacheLsCommand, cachePruneCommand, cacheVerifyCommand } from "./commands/cache.js";
import { graphCommand } from "./commands/graph.js";
import { logsCommand } from "./commands/logs.js";
import { runCommand } from "./commands/run.js";
import { shellCommand } from "./commands/shell.js";
import { statusCommand } from "./commands/status.js";
import { workerCommand } from "./commands/worker.js";
import { ENV_HELP } from "./env.js";
import type { CliIO } from "./io.js";

const FILE_ARG = "[file]";
const FILE_HELP = `The pipeline file: JavaScript (.js .mjs .cjs) or TypeScript (.ts .mts .cts, no build
step needed) that exports a pipeline (export default pipeline, export const pipeline, or a
default function returning one). Left out, lp uses package.json's
"${PACKAGE_FIELD}": { "pipeline": "…" }, else ${CONVENTIONAL_NAMES.join(", ")} in the current folder.
A file that runs its pipeline when imported is loaded without running it.`;

const EXIT_HELP = `Exit codes: 0 all tasks succeeded or were cached, 1 a task failed (or, for status,
the store could not be read; with --exit-code, something would run), 2 bad usage,
130 the run was interrupted.`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

// commander is loaded by the command line alone: importing the package (the umbrella re-exports
// it) should not pay for it.
type Commander = typeof import("commander");
let commander: Promise<Commander> | undefined;
const loadCommander = () => (commander ??= import("commander"));

/**
 * The `lp` command line as a commander program. Each action reports its exit code through
 * `done`; commander's own errors (unknown command or option, with a suggestion) throw a
 * CommanderError after printing one line to stderr.
 */
export async function buildProgram(io: CliIO, done: (code: number) => void, threads?: number | true): Promise<Command> {
  const { Command, Option } = await loadCommander();
  const program = new Command("lp")
    .description("Run, inspect and tidy little-pipelines pipelines.")
    .version(VERSION, "-v, --version", "Show the version")
    .helpOption("-h, --help", "Show help (also after a command: lp run --help)")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line, prefixed like every other lp message, with commander's suggestion kept.
      outputError: (s, write) => write(`lp: ${s.replace(/^error: /, "").replace(/\n\(Did you mean (.+)\?\)/, " (did you mean $1?)").trimEnd()}\n`),
    })
    .addHelpText("after", `\n${FILE_HELP}\n\n${ENV_HELP}\n\n${EXIT_HELP}`);

  program
    .command("run")
    .argument(FILE_ARG, "the pipeline file")
    .description("Run the pipeline; tasks with fresh results are reused")
    .option("--force", "Rerun every task, ignoring stored results")
    .option("--skip <tasks>", "Leave these tasks out (A,B; repeatable); their stored results are used", collect)
    .option("--force-task <tasks>", "Rerun these tasks even when fresh (A,B; repeatable); wins over --skip", collect)
    .option("--only <task>", "Run this task and whatever upstream tasks it needs")
    .option("--no-deps", "With --only: run the task alone, on the stored upstream results")
    .option("--concurrency <n>", "Run at most N tasks at once (Infinity: no limit)")
    // Taken out of the arguments before parsing (its number is optional): listed for help.
    .option("--threads [n]", "Run tasks on N worker threads (default: one per core), for CPU-bound work")
    .option("--redis <url>", "Run tasks on workers (lp worker) that share this Redis, and keep results there; needs @lp/bullmq")
    .option("--report <file>", "Write an HTML report of the run (graph, timeline, cache facts)")
    .option("-q, --quiet", "Print nothing but the closing summary")
    .option("--json", `Print the run's outcome as one JSON document (schema lp.run/1); run output goes to stderr`)
    .action(async (file: string | undefined, flags) => done(await runCommand(file, { ...flags, threads }, io)));

  program
    .command("status")
    .argument(FILE_ARG, "the pipeline file")
    .description("Say what a run would do for each task, and why, without running anything")
    .option("--json", "Print one JSON document (schema lp.status/1)")
    .option("--exit-code", "Exit 1 when a task would run (like git diff --exit-code)")
    .option("--redis <url>", "Read the results that distributed runs keep in this Redis (lp run --redis); needs @lp/bullmq")
    .action(async (file: string | undefined, flags) => done(await statusCommand(file, flags, io)));

  program
    .command("graph")
    .argument(FILE_ARG, "the pipeline file")
    .description("Draw the task graph: a tree, or Mermaid or Graphviz DOT source")
    .addOption(new Option("-f, --format <format>", "tree for the terminal, mermaid or dot for documents").default(undefined, "tree"))
    .option("--direction <dir>", "For mermaid and dot: LR (left to right, the default) or TD (top down)")
    .option("--json", "Print tasks, dependencies and states as one JSON document (schema lp.graph/1)")
    .option("--redis <url>", "Read the results that distributed runs keep in this Redis (lp run --redis); needs @lp/bullmq")
    .action(async (file: string | undefined, flags) => done(await graphCommand(file, flags, io)));

  program
    .command("logs")
    .argument("<task>", "the task whose lines to print")
    .argument(FILE_ARG, "the pipeline file")
    .description("Print a task's logged lines from earlier runs, oldest first, from the pipeline's log files")
    .action(async (task: string, file: string | undefined) => done(await logsCommand(task, file, io)));

  program
    .command("shell")
    .argument(FILE_ARG, "the pipeline file")
    .description("Open the interactive shell")
    .option("--history <file>", "Keep command history in this file between sessions")
    .option("--redis <url>", "Use the results that distributed runs keep in this Redis, and run tasks on its workers (lp worker); needs @lp/bullmq")
    .action(async (file: string | undefined, flags) => done(await shellCommand(file, flags, io)));

  program
    .command("worker")
    .argument(FILE_ARG, "the pipeline file")
    .description("Run the task attempts that distributed runs (lp run --redis URL) enqueue, until Ctrl-C")
    .option("--redis <url>", "The coordinator's Redis, e.g. redis://127.0.0.1:6379 (required)")
    .option("--concurrency <n>", "Run N attempts at once (default 1, or the thread count)")
    // Taken out of the arguments before parsing (its number is optional): listed for help.
    .option("--threads [n]", "Run attempts on N worker threads (default: one per core)")
    .option("--name <name>", "The name run summaries record for this worker (default host:pid)")
    .addHelpText("after", "\nStart any number, on any machines with the project's code. Ctrl-C or SIGTERM stops taking\njobs and lets running ones finish. Needs @lp/bullmq installed (npm install @lp/bullmq).")
    .action(async (file: string | undefined, flags) => done(await workerCommand(file, { ...flags, threads }, io)));

  const cache = program.command("cache").description("List, clear or prune stored results");
  cache
    .command("ls")
    .argument(FILE_ARG, "the pipeline file")
    .description("List the stored results of the pipeline's tasks")
    .option("--all", "Every entry in the store, also those of no task")
    .option("--json", "Print one JSON document (schema lp.cache/1)")
    .option("--redis <url>", "Read the results that distributed runs keep in this Redis (lp run --redis); needs @lp/bullmq")
    .action(async (file: string | undefined, flags) => done(await cacheLsCommand(file, flags, io)));
  cache
    .command("clear")
    .argument(FILE_ARG, "the pipeline file")
    .description("Clear all but never-expiring results")
    .option("--redis <url>", "Clear the results that distributed runs keep in this Redis; needs @lp/bullmq")
    .option("--task <task>", "Clear only this task's result, a mapped task's branches too, or one branch: Clean[3] (repeatable, or A,B)", collect)
    .option("--hard", "Clear everything, never-expiring results too")
    .action(async (file: string | undefined, flags) => done(await cacheClearCommand(file, flags, io)));
  cache
    .command("prune")
    .argument(FILE_ARG, "the pipeline file")
    .description(
      "Remove expired results and those whose stored body is damaged or gone, then delete bodies no result refers to (only while no other process has the cache open); an unexpired, intact result is never removed",
    )
    .option("--redis <url>", "Prune the results that distributed runs keep in this Redis; needs @lp/bullmq")
    .action(async (file: string | undefined, flags) => done(await cachePruneCommand(file, flags, io)));

  cache
    .command("verify")
    .argument(FILE_ARG, "the pipeline file")
    .description("Read every result a run would use as cached, check it against its digest, and run again the tasks whose result fails")
    .option("--redis <url>", "Verify the results that distributed runs keep in this Redis; needs @lp/bullmq")
    .action(async (file: string | undefined, flags) => done(await cacheVerifyCommand(file, flags, io)));

  return program;
}

/** Whether `error` is commander's own (it has printed its message); false before commander is loaded. */
export async function isCommanderError(error: unknown): Promise<boolean> {
  return commander !== undefined && error instanceof (await commander).CommanderError;
}

/** Whether a commander error only means help or the version was shown. */
export async function isHelpOrVersion(error: unknown): Promise<boolean> {
  return (await isCommanderError(error)) && ["commander.helpDisplayed", "commander.version"].includes((error as { code: string }).code);
}
