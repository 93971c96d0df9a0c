import type { Executor } from "../contracts/executor.js";
import type { LoggerProvider } from "../contracts/logger.js";
import type { ResultStore } from "../contracts/store.js";
import type { Pipeline } from "../pipeline.js";
import type { Task } from "../task/task.js";

/** Everything a run needs, resolved by the pipeline from its options and execute()'s. */
export interface RunPlan {
  pipeline: Pipeline;
  order: readonly Task<unknown>[];
  /** Tasks that take part, `undefined` for every task; the others' stored results are used as they are. */
  selected: ReadonlySet<string> | undefined;
  forced: ReadonlySet<string>;
  skipped: ReadonlySet<string>;
  concurrency: number;
  store: ResultStore;
  logger: LoggerProvider;
  cwd: string;
  now: () => number;
  signal: AbortSignal;
  expireResultsIfNone: boolean;
  /** Read and check the body of every result that would be used as cached; run again those that fail. */
  verify: boolean;
  /** Carries out attempts of tasks that may leave the main thread (`runIn: "any"`). */
  executor: Executor;
}
