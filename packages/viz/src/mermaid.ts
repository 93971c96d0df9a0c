import type { Pipeline } from "@lp/core";
import { checkDirection, checkStates, edgesOf, graphModel } from "./model.js";
import { INK, PALETTE } from "./palette.js";
import { VIZ_STATES, type VizState } from "./state.js";

/** Options of `toMermaid()` and `toDot()`. */
export interface GraphTextOptions {
  /** Left to right, or top down. @default "LR" */
  direction?: "LR" | "TD";
}

/**
 * Characters Mermaid could read as syntax inside a quoted label (a quote ends it, `#`
 * starts an entity, a backtick starts Markdown, `<`, `>` and `&` become HTML, `%%{` starts
 * a directive), plus brackets and `|` for older parsers, written as `#code;` entities,
 * which Mermaid shows as the character itself.
 */
const LABEL_SPECIAL = /["#&<>`[\]{}|]/g;

/** A task name as the text of a quoted Mermaid label. */
export function mermaidLabel(name: string): string {
  return name.replace(LABEL_SPECIAL, (c) => `#${c.codePointAt(0)};`);
}

/**
 * A node id for every task: letters, digits and `_` only, so that names with spaces,
 * slashes, punctuation, non-Latin letters or Mermaid keywords (`end`) stay valid. Ids are
 * prefixed with `t_`, readable from the name, and unique.
 */
export function mermaidIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    const base = `t_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(name, id);
  }
  return ids;
}

function classDef(state: VizState): string {
  const s = PALETTE[state];
  const dash = s.dashed ? ",stroke-dasharray: 4 3" : "";
  return `  classDef ${s.slug} fill:${s.fill},stroke:${s.stroke},color:${INK}${dash}`;
}

/**
 * The task graph as a Mermaid flowchart: one node per task labelled with its name, an
 * edge from each dependency to the task that needs it and, when `states` are given, a
 * style class per state. Paste it into Markdown on GitHub or a Mermaid editor.
 *
 * @param states - e.g. `vizStates(summary)` or `vizStates(await pipeline.status())`
 * @returns the flowchart text, ending with a newline
 * @throws PipelineValidationError when the pipeline is not valid
 * @throws StateMismatchError when `states` name a task the pipeline does not have
 * @throws InvalidOptionError for an unknown state or direction
 * @example
 * console.log(toMermaid(pipeline, vizStates(await pipeline.status())));
 */
export function toMermaid(pipeline: Pipeline, states?: ReadonlyMap<string, VizState>, options: GraphTextOptions = {}): string {
  const direction = checkDirection("toMermaid()", options.direction);
  const known = checkStates("toMermaid()", pipeline, states);
  const model = graphModel(pipeline);
  const ids = mermaidIds(model.order);
  const lines = [`flowchart ${direction}`];
  for (const name of model.order) lines.push(`  ${ids.get(name)}["${mermaidLabel(name)}"]`);
  for (const [from, to] of edgesOf(model)) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  for (const state of VIZ_STATES) {
    const members = model.order.filter((name) => known.get(name) === state);
    if (members.length === 0) continue;
    lines.push(classDef(state));
    lines.push(`  class ${members.map((name) => ids.get(name)).join(",")} ${PALETTE[state].slug}`);
  }
  return `${lines.join("\n")}\n`;
}
