import type { ExecuteOptions, RunSummary } from "@lp/core";
import { levelAllows } from "@lp/core/internal";
import { renderSummary } from "../format/summary.js";
import { parseConcurrency } from "../shell/concurrency.js";
import { UsageError } from "../errors.js";
import { commaList, parseCommandArgs } from "../shell/args.js";
import type { CommandContext } from "../shell/context.js";
import { oneTask } from "./task-name.js";

const EXECUTE_USAGE = "execute [--force] [--skip=A,B] [--force-task=C] [--concurrency=N]";
const EXECUTE_ONE_USAGE = "execute-one <task> [--no-deps] [--force]";


export async function execute(ctx: CommandContext, args: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs("execute", EXECUTE_USAGE, args, {
    force: { type: "boolean" },
    skip: { type: "string", multiple: true },
    "force-task": { type: "string", multiple: true },
    concurrency: { type: "string" },
  });
  if (positionals.length > 0) {
    throw new UsageError("execute", `unexpected argument "${positionals[0]}" (to run one task, use execute-one).`, EXECUTE_USAGE);
  }
  const options: ExecuteOptions = {
    force: values.force === true,
    skipTasks: commaList(values.skip),
    forceTasks: commaList(values["force-task"]),
  };
  const concurrency = parseConcurrency("execute", EXECUTE_USAGE, values.concurrency);
  if (concurrency !== undefined) options.concurrency = concurrency;
  printSummary(ctx, await ctx.execute(options));
}

/**
 * The run's closing line, when the logger has not printed it: the logger's own closing line
 * is the summary unless the shell hid it (`quiet`, `log warn` and below).
 */
function printSummary(ctx: CommandContext, summary: RunSummary): void {
  if (!levelAllows(ctx.levels.level, "info")) ctx.print(renderSummary(summary, ctx.c));
}

export async function executeOne(ctx: CommandContext, args: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs("execute-one", EXECUTE_ONE_USAGE, args, {
    "no-deps": { type: "boolean" },
    force: { type: "boolean" },
  });
  const name = oneTask(ctx.pipeline, "execute-one", EXECUTE_ONE_USAGE, positionals);
  const withDependencies = values["no-deps"] !== true;
  const options: ExecuteOptions = { only: name, withDependencies };
  if (values.force) options.forceTasks = [name];
  printSummary(ctx, await ctx.execute(options));
}
