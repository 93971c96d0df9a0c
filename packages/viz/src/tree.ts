import { InvalidOptionError, type Pipeline } from "@lp/core";
import { checkStates, graphModel } from "./model.js";
import type { VizState } from "./state.js";
import { paint, printable, stateTag } from "./terminal.js";

/** Options of `renderTree()`. */
export interface TreeOptions {
  /** Colour states with ANSI escapes; leave off when the output is not a terminal. @default false */
  color?: boolean;
}

/**
 * The pipeline as an indented tree for a terminal. Each final output (a task nothing
 * depends on) is a root, and under every task are the tasks it needs, so the tree reads
 * "Report needs Sum, which needs One and Two". A task needed in several places is shown in
 * full the first time; later it appears once more, marked `(see above)`, without its
 * dependencies.
 *
 * @param states - shown after each name, e.g. `vizStates(summary)`
 * @returns the lines, without a trailing newline; `(no tasks)` for an empty pipeline
 * @throws PipelineValidationError when the pipeline is not valid
 * @throws StateMismatchError when `states` name a task the pipeline does not have
 * @throws InvalidOptionError for an unknown state or a non-boolean `color`
 * @example
 * console.log(renderTree(pipeline, vizStates(await pipeline.status()), { color: process.stdout.isTTY }));
 */
export function renderTree(pipeline: Pipeline, states?: ReadonlyMap<string, VizState>, options: TreeOptions = {}): string {
  const color = options.color ?? false;
  if (typeof color !== "boolean") throw new InvalidOptionError("renderTree()", "color", "true or false", color);
  const known = checkStates("renderTree()", pipeline, states);
  const model = graphModel(pipeline);
  if (model.order.length === 0) return "(no tasks)";
  const roots = model.order.filter((name) => (model.dependents.get(name) ?? []).length === 0);
  const shown = new Set<string>();
  const lines: string[] = [];

  const label = (name: string, repeated: boolean): string => {
    const state = known.get(name);
    const parts = [printable(name)];
    if (state) parts.push(stateTag(state, color));
    if (repeated) parts.push(paint("(see above)", "2", color));
    return parts.join(" ");
  };

  const walk = (name: string, prefix: string, branch: string, childPrefix: string): void => {
    const repeated = shown.has(name);
    lines.push(`${prefix}${branch}${label(name, repeated)}`);
    if (repeated) return;
    shown.add(name);
    const deps = model.deps.get(name) ?? [];
    deps.forEach((dep, i) => {
      const last = i === deps.length - 1;
      walk(dep, prefix + childPrefix, last ? "└── " : "├── ", last ? "    " : "│   ");
    });
  };

  for (const root of roots) walk(root, "", "", "");
  return lines.join("\n");
}
