import type { Pipeline } from "@lp/core";
import { checkDirection, checkStates, edgesOf, graphModel } from "./model.js";
import type { GraphTextOptions } from "./mermaid.js";
import { INK, PALETTE } from "./palette.js";
import type { VizState } from "./state.js";

/** A DOT quoted string: only `"` needs escaping there; `\` is doubled so none can escape the closing quote. */
export function dotId(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * A DOT label: Graphviz also reads `\n`, `\l`, `\N` … and HTML entities in labels, so
 * backslashes and `&` are escaped to show the name exactly.
 */
export function dotLabel(text: string): string {
  return dotId(text.replace(/&/g, "&amp;"));
}

/**
 * The task graph in Graphviz DOT: one box per task labelled with its name, an edge from
 * each dependency to the task that needs it and, when `states` are given, the state's
 * colours (and its name as the SVG `class`). Render with `dot -Tsvg`.
 *
 * @param states - e.g. `vizStates(summary)` or `vizStates(await pipeline.status())`
 * @returns the graph text, ending with a newline
 * @throws PipelineValidationError when the pipeline is not valid
 * @throws StateMismatchError when `states` name a task the pipeline does not have
 * @throws InvalidOptionError for an unknown state or direction
 * @example
 * await writeFile("pipeline.dot", toDot(pipeline, vizStates(summary)));
 */
export function toDot(pipeline: Pipeline, states?: ReadonlyMap<string, VizState>, options: GraphTextOptions = {}): string {
  const direction = checkDirection("toDot()", options.direction);
  const known = checkStates("toDot()", pipeline, states);
  const model = graphModel(pipeline);
  const lines = [
    `digraph ${dotId(pipeline.name)} {`,
    `  rankdir=${direction === "LR" ? "LR" : "TB"};`,
    `  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#616161", fontcolor="${INK}", fontname="Helvetica,Arial,sans-serif"];`,
    `  edge [color="#616161"];`,
  ];
  for (const name of model.order) {
    const attrs = [`label=${dotLabel(name)}`];
    const state = known.get(name);
    if (state) {
      const s = PALETTE[state];
      attrs.push(`fillcolor="${s.fill}"`, `color="${s.stroke}"`, `class="${s.slug}"`, `tooltip=${dotLabel(`${name}: ${state}`)}`);
      if (s.dashed) attrs.push(`style="rounded,filled,dashed"`);
    }
    lines.push(`  ${dotId(name)} [${attrs.join(", ")}];`);
  }
  for (const [from, to] of edgesOf(model)) lines.push(`  ${dotId(from)} -> ${dotId(to)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
