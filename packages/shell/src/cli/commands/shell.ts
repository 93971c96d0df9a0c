import { Shell } from "../../shell/shell.js";
import { EXIT, type CliIO } from "../io.js";
import { loadForCommand } from "../load.js";

/** `lp shell [file]`: the interactive shell on the process's own stdin and stdout. */
export async function shellCommand(file: string | undefined, flags: { history?: string }, io: CliIO): Promise<number> {
  const pipeline = await loadForCommand(file, io, false);
  try {
    const options = flags.history === undefined ? { output: io.stdout } : { output: io.stdout, historyFile: flags.history };
    await new Shell(pipeline, options).start();
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
