import type { Pipeline } from "@lp/core";
import { findPipelineFile } from "../load/find-file.js";
import { loadPipeline } from "../load/load-pipeline.js";
import { type CliIO, line } from "./io.js";

/**
 * Loads the pipeline for a command: the file given, or the one found in the current folder.
 * A top-level run in the file is skipped, with a warning on stderr. Run output of the
 * loaded pipeline goes to stderr when `toStderr` (via `LP_LOG_STREAM`, which loggers
 * created while the file loads read).
 */
export async function loadForCommand(file: string | undefined, io: CliIO, toStderr: boolean): Promise<Pipeline> {
  const path = file ?? findPipelineFile(io.cwd);
  // Kept for the whole command (loggers read it as they write); runCli restores it.
  if (toStderr && !process.env.LP_LOG_STREAM) process.env.LP_LOG_STREAM = "stderr";
  return loadPipeline(path, io.cwd, { onTopLevelRun: (message) => line(io.stderr, `lp: warning: ${message}`) });
}
