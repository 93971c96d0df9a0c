import type { Pipeline } from "@lp/core";
import { renderTree, toDot, toMermaid, vizStates, type VizState } from "@lp/viz";
import { UsageError } from "../errors.js";
import { parseCommandArgs } from "../shell/args.js";
import type { CommandContext } from "../shell/context.js";

/** Ways to draw the task graph: a terminal tree, Mermaid or Graphviz DOT source. */
export const GRAPH_FORMATS = ["tree", "mermaid", "dot"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** How the graph is drawn. */
export interface GraphOptions {
  format: GraphFormat;
  /** For Mermaid and DOT: left to right or top down. */
  direction?: "LR" | "TD" | undefined;
  /** For the tree: colour the states. */
  color: boolean;
  /** Each task's state; none leaves states out. */
  states?: ReadonlyMap<string, VizState> | undefined;
}

/** A format name as typed, checked. @throws UsageError naming the formats */
export function parseFormat(command: string, usage: string, typed: string | undefined): GraphFormat {
  const format = (typed ?? "tree").toLowerCase();
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(command, `unknown format "${typed}"; use one of ${GRAPH_FORMATS.join(", ")}.`, usage);
  }
  return format as GraphFormat;
}

/** A direction as typed (`LR`, `td` …), checked. @throws UsageError */
export function parseDirection(command: string, usage: string, typed: string | undefined): "LR" | "TD" | undefined {
  if (typed === undefined) return undefined;
  const direction = typed.toUpperCase();
  if (direction !== "LR" && direction !== "TD") throw new UsageError(command, `unknown direction "${typed}"; use LR or TD.`, usage);
  return direction;
}

/** The pipeline's task graph as text in the chosen format. */
export function graphText(pipeline: Pipeline, options: GraphOptions): string {
  const textOptions = options.direction ? { direction: options.direction } : {};
  switch (options.format) {
    case "mermaid":
      return toMermaid(pipeline, options.states, textOptions);
    case "dot":
      return toDot(pipeline, options.states, textOptions);
    case "tree":
      return renderTree(pipeline, options.states, { color: options.color });
  }
}

const USAGE = "graph [--format=tree|mermaid|dot] [--direction=LR|TD]";

/** `graph`: each task's state in the last run in this shell, or else of its stored result. */
export async function graph(ctx: CommandContext, args: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs("graph", USAGE, args, { format: { type: "string" }, direction: { type: "string" } });
  if (positionals.length > 0) throw new UsageError("graph", `unexpected argument "${positionals[0]}".`, USAGE);
  const format = parseFormat("graph", USAGE, values.format);
  const direction = parseDirection("graph", USAGE, values.direction);
  // Stored state for every task, overridden by what the last run in this shell did.
  const lastRun = ctx.pipeline.lastRun;
  const states = vizStates(await ctx.pipeline.status());
  if (lastRun) for (const [task, state] of vizStates(lastRun)) states.set(task, state);
  if (format === "tree") ctx.print(ctx.c.dim(lastRun ? "States from the last run in this shell, else of the stored results:" : "States of the stored results:"));
  ctx.print(graphText(ctx.pipeline, { format, direction, color: ctx.c.isColorSupported, states }));
}
