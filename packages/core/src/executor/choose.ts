import type { Executor } from "../contracts/executor.js";
import { InvalidOptionError } from "../errors.js";
import { inProcessExecutor } from "./in-process.js";

/** An executor, or the name of one the pipeline knows how to make. */
export type ExecutorChoice = Executor | "in-process" | "threads";

/** Makers of named executors: each run that names one gets a fresh one, released when it ends. */
export interface ExecutorFactories {
  threads?: () => Executor;
}

function isExecutor(value: unknown): value is Executor {
  return typeof value === "object" && value !== null && typeof (value as Executor).run === "function";
}

/**
 * Turns an `executor` option into an executor, and says whether the run owns it (and so
 * closes it when it ends).
 * @throws InvalidOptionError for an unknown name, or `"threads"` with no maker for it
 */
export function resolveExecutor(where: string, choice: unknown, factories: ExecutorFactories | undefined): { executor: Executor; owned: boolean } {
  if (choice === undefined || choice === "in-process") return { executor: inProcessExecutor, owned: false };
  if (isExecutor(choice)) return { executor: choice, owned: false };
  if (choice === "threads") {
    if (factories?.threads) return { executor: factories.threads(), owned: true };
    throw new InvalidOptionError(
      where,
      "executor",
      '"in-process" or an Executor here: "threads" needs the worker-thread executor — use Pipeline from "little-pipelines", or pass threadsExecutor() from "@lp/threads"',
      choice,
    );
  }
  throw new InvalidOptionError(where, "executor", '"in-process", "threads" or an Executor (an object with a run method)', choice);
}
