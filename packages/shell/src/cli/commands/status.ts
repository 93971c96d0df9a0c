import { colors, wantsColor } from "../../format/colors.js";
import { renderStatus } from "../../format/status.js";
import { loadPipeline } from "../../load/load-pipeline.js";
import { parseCommand } from "../args.js";
import { EXIT, line, type CliIO } from "../io.js";
import { USAGE } from "../usage.js";

/** `lp status <file>`: what a run would do for each task, and why. */
export async function statusCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { file, help } = parseCommand("status", args, {});
  if (help) return line(io.stdout, USAGE.status), EXIT.ok;
  const pipeline = await loadPipeline(file, io.cwd);
  try {
    line(io.stdout, `Pipeline ${pipeline.name}:`);
    line(io.stdout, renderStatus(await pipeline.status(), colors(wantsColor(io.stdout, io.env))));
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
