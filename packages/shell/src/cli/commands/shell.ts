import type { Executor } from "@lp/core";
import { Shell, type ShellOptions } from "../../shell/shell.js";
import { useSharedStore } from "../distributed.js";
import { EXIT, type CliIO } from "../io.js";
import { loadForCommand } from "../load.js";

/**
 * `lp shell [file] [--redis URL]`: the interactive shell on the process's own stdin and
 * stdout. With `--redis`, it sees and runs the pipeline as `lp run --redis` does: results
 * in that Redis, tasks on its workers.
 */
export async function shellCommand(file: string | undefined, flags: { history?: string; redis?: string }, io: CliIO): Promise<number> {
  const pipeline = await loadForCommand(file, io, false);
  let executor: (Executor & { close(): Promise<void> }) | undefined;
  try {
    const options: ShellOptions = flags.history === undefined ? { output: io.stdout } : { output: io.stdout, historyFile: flags.history };
    if (flags.redis !== undefined) {
      const distributed = await useSharedStore(pipeline, flags.redis, "lp shell");
      const bullmq = distributed.bullmqExecutor({ url: flags.redis });
      executor = bullmq;
      await bullmq.connect(pipeline.name);
      options.executor = bullmq;
    }
    await new Shell(pipeline, options).start();
    return EXIT.ok;
  } finally {
    await executor?.close();
    await pipeline.close();
  }
}
