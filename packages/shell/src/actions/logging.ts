import { UsageError } from "../errors.js";
import type { CommandContext } from "../shell/context.js";
import { oneTask } from "./task-name.js";
import { parseLevel } from "../shell/levels.js";

export function log(ctx: CommandContext, args: readonly string[]): void {
  if (args.length === 0) {
    ctx.print(`Log level: ${ctx.levels.level}`);
    return;
  }
  if (args.length > 1) throw new UsageError("log", "give one level.", "log <LEVEL>");
  const level = parseLevel(args[0]!);
  ctx.levels.set(level);
  ctx.print(`Log level: ${level}`);
}

export function quiet(ctx: CommandContext, args: readonly string[]): void {
  if (args.length > 0) throw new UsageError("quiet", "takes no arguments.", "quiet");
  ctx.levels.set("silent");
  ctx.print("Quiet: runs print nothing now (log info brings the output back).");
}

/** `logs <task>`: the task's logged lines from earlier runs. */
export function logs(ctx: CommandContext, args: readonly string[]): void {
  const name = oneTask(ctx.pipeline, "logs", "logs <task>", args);
  const lines = ctx.pipeline.taskLog(name);
  if (lines === undefined) ctx.print(`${name}: this pipeline's logger keeps no log files.`);
  else if (lines.length === 0) ctx.print(`${name}: no logged lines yet.`);
  else ctx.print(lines.join("\n"));
}
