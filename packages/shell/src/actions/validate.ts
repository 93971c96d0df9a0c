import type { CommandContext } from "../shell/context.js";

/** `validate`: the pipeline's problems, if any. */
export function validate(ctx: CommandContext): void {
  const problems = ctx.pipeline.problems();
  if (problems.length === 0) {
    ctx.print(ctx.c.green(`Pipeline ${ctx.pipeline.name} is valid (${ctx.pipeline.ntasks} tasks).`));
    return;
  }
  ctx.print(ctx.c.red(`Pipeline ${ctx.pipeline.name} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`));
  for (const p of problems) ctx.print(`  - ${p.message} ${ctx.c.dim(`[${p.code}]`)}`);
}
