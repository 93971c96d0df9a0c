import { getBranchResult, type Pipeline, type TaskStatus } from "@lp/core";
import { renderInfo } from "../format/info.js";
import { explainMissingResults } from "../format/no-result.js";
import { renderValue } from "../format/peek.js";
import { renderStatus, renderTaskList } from "../format/status.js";
import { formatBytes } from "../format/units.js";
import type { CommandContext } from "../shell/context.js";
import { oneTask } from "./task-name.js";

export async function listTasks(ctx: CommandContext): Promise<void> {
  const statuses = await ctx.pipeline.status();
  ctx.print(`Tasks of ${ctx.c.bold(ctx.pipeline.name)} (${statuses.length}):`);
  ctx.print(renderTaskList(statuses, ctx.pipeline.now(), ctx.c));
}

/** The pipeline's statuses, a missing result explained from the logs where they can tell. */
function statusesOf(pipeline: Pipeline): Promise<TaskStatus[]> {
  return pipeline.status().then((statuses) => explainMissingResults(pipeline, statuses, (task) => `logs ${task}`));
}

export async function status(ctx: CommandContext): Promise<void> {
  ctx.print(renderStatus(await statusesOf(ctx.pipeline), ctx.c));
}

export async function peek(ctx: CommandContext, args: readonly string[]): Promise<void> {
  // `peek Clean[3]` shows one branch of a mapped task: its own stored result, read on its own.
  const branch = args.length === 1 ? /^(.*)\[(-?\d+)\]$/.exec(args[0]!) : null;
  const name = oneTask(ctx.pipeline, "peek", "peek <task>", branch ? [branch[1]!] : args);
  if (branch) {
    const found = await getBranchResult(ctx.pipeline, name, Number(branch[2]));
    ctx.print(ctx.c.dim(`${found.label}: branch ${found.index} of ${found.total}, ${found.meta.type ?? "result"}, ${formatBytes(found.meta.size)}`));
    ctx.print(renderValue(found.value, {}, ctx.c.isColorSupported));
    return;
  }
  const meta = await ctx.pipeline.store.getMeta(name);
  const value = await ctx.pipeline.getResult(name);
  if (meta) ctx.print(ctx.c.dim(`${name}: ${meta.type ?? "result"}, ${formatBytes(meta.size)}`));
  ctx.print(renderValue(value, {}, ctx.c.isColorSupported));
}

export async function info(ctx: CommandContext, args: readonly string[]): Promise<void> {
  const name = oneTask(ctx.pipeline, "info", "info <task>", args);
  const task = ctx.pipeline.getTask(name);
  const all = ctx.pipeline.tasks;
  const dependents = all.filter((t) => t.dependencies.includes(name)).map((t) => t.name);
  const statuses = await statusesOf(ctx.pipeline);
  const lastRun = ctx.pipeline.lastRun?.tasks.find((r) => r.name === name);
  ctx.print(
    renderInfo({ task, dependents, status: statuses.find((s) => s.task === name), lastRun, now: ctx.pipeline.now() }, ctx.c),
  );
}
