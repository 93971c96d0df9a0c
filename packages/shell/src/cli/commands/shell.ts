import { loadPipeline } from "../../load/load-pipeline.js";
import { Shell } from "../../shell/shell.js";
import { parseCommand } from "../args.js";
import { EXIT, line, type CliIO } from "../io.js";
import { USAGE } from "../usage.js";

/** `lp shell <file>`: the interactive shell on the process's own stdin and stdout. */
export async function shellCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, file, help } = parseCommand("shell", args, { history: { type: "string" } });
  if (help) return line(io.stdout, USAGE.shell), EXIT.ok;
  const pipeline = await loadPipeline(file, io.cwd);
  try {
    const options = values.history === undefined ? { output: io.stdout } : { output: io.stdout, historyFile: values.history };
    await new Shell(pipeline, options).start();
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
