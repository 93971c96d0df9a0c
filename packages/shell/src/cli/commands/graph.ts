import { vizStates } from "@lp/viz";
import { wantsColor } from "../../format/colors.js";
import { loadPipeline } from "../../load/load-pipeline.js";
import { graphText, parseDirection, parseFormat } from "../../shell/commands/graph.js";
import { parseCommand } from "../args.js";
import { EXIT, line, type CliIO } from "../io.js";
import { USAGE } from "../usage.js";

/** `lp graph <file> [--format tree|mermaid|dot]`: the task graph, with each task's stored state. */
export async function graphCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, file, help } = parseCommand("graph", args, { format: { type: "string", short: "f" }, direction: { type: "string" } });
  if (help) return line(io.stdout, USAGE.graph), EXIT.ok;
  const usage = "lp graph <file> [--format tree|mermaid|dot] [--direction LR|TD]";
  const format = parseFormat("lp graph", usage, values.format);
  const direction = parseDirection("lp graph", usage, values.direction);
  const pipeline = await loadPipeline(file, io.cwd);
  try {
    const states = vizStates(await pipeline.status());
    line(io.stdout, graphText(pipeline, { format, direction, color: wantsColor(io.stdout, io.env), states }));
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
