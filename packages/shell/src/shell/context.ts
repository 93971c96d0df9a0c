import type { ExecuteOptions, Pipeline, RunSummary } from "@lp/core";
import type { Colors } from "../format/colors.js";
import type { LevelControl } from "./levels.js";

/** What the built-in commands use of the shell running them. */
export interface CommandContext {
  readonly pipeline: Pipeline;
  readonly c: Colors;
  readonly levels: LevelControl;
  /** Writes text and a line break to the shell's output. */
  print(text: string): void;
  /** Runs the pipeline so that Ctrl-C cancels the run, not the shell. */
  execute(options: ExecuteOptions): Promise<RunSummary>;
}
