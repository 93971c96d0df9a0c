import { vizStates } from "@lp/viz";
import { wantsColor } from "../../format/colors.js";
import { graphText, parseDirection, parseFormat } from "../../actions/graph.js";
import { EXIT, line, type CliIO } from "../io.js";
import { graphJson, printJson } from "../json.js";
import { useSharedStore } from "../distributed.js";
import { loadForCommand } from "../load.js";

/** Options of `lp graph`, as parsed. */
export interface GraphFlags {
  format?: string;
  direction?: string;
  json?: boolean;
  /** `--redis URL`: states from the results distributed runs keep in that Redis. */
  redis?: string;
}

/** `lp graph [file] [--format tree|mermaid|dot] [--json]`: the task graph, with each task's stored state. */
export async function graphCommand(file: string | undefined, flags: GraphFlags, io: CliIO): Promise<number> {
  const usage = "lp graph [file] [--format tree|mermaid|dot] [--direction LR|TD] [--json]";
  const format = parseFormat("lp graph", usage, flags.format);
  const direction = parseDirection("lp graph", usage, flags.direction);
  const pipeline = await loadForCommand(file, io, true);
  try {
    if (flags.redis !== undefined) await useSharedStore(pipeline, flags.redis, "lp graph");
    const states = vizStates(await pipeline.status());
    if (flags.json) printJson(io.stdout, graphJson(pipeline, states));
    else line(io.stdout, graphText(pipeline, { format, direction, color: wantsColor(io.stdout, io.env), states }));
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
