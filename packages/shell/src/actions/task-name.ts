import type { Pipeline } from "@lp/core";
import { UsageError } from "../errors.js";

/** The one task name a command takes, checked against the pipeline. */
export function oneTask(pipeline: Pipeline, command: string, usage: string, args: readonly string[]): string {
  if (args.length !== 1) throw new UsageError(command, args.length === 0 ? "which task? Give a task name." : "give exactly one task name.", usage);
  return pipeline.getTask(args[0]!).name;
}
