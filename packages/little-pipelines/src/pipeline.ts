import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { cacacheStore } from "@lp/cache";
import { Pipeline as CorePipeline, type ExecuteOptions as CoreExecuteOptions, type PipelineOptions, type RunSummary } from "@lp/core";
import { skipCallSitesUnder } from "@lp/core/internal";
import { createLogger } from "@lp/logging";
import { threadsExecutor } from "@lp/threads";
import { type GraphTextOptions, toDot, toMermaid, vizStates, writeReport } from "@lp/viz";

/** Options of `pipeline.execute()`: the engine's, plus the HTML report. */
export interface ExecuteOptions extends CoreExecuteOptions {
  /** Write a self-contained HTML run report (graph, timeline, cache facts) to this path. */
  report?: string;
}

// This wrapper's frames are not the user's: the module that defines a pipeline is its caller.
skipCallSitesUnder(dirname(fileURLToPath(import.meta.url)));

/**
 * A pipeline with the batteries in: results in the durable on-disk cache and console plus
 * file logs, side by side in `.little_pipelines/<name>/` at the root of the project that
 * defines the pipeline (or under `LP_HOME` when set), pictures of its graph and runs, and
 * `executor: "threads"` for running tasks on worker threads, one per core.
 * Any option given replaces its default.
 *
 * @example
 * const pipeline = new Pipeline("Example1").add(taskOne, taskTwo);
 * await pipeline.execute({ report: "run.html" });
 * await pipeline.execute({ executor: "threads" }); // CPU-bound tasks on every core
 */
export class Pipeline extends CorePipeline {
  constructor(name: string, options: PipelineOptions = {}) {
    super(name, {
      ...options,
      store: options.store ?? cacacheStore(),
      logger: options.logger ?? createLogger(),
      executors: { threads: () => threadsExecutor(), ...options.executors },
    });
  }

  /**
   * Runs the pipeline (see `@lp/core`), then writes the HTML report when `report` is given.
   * @throws ReportWriteError when the report cannot be written; the run's results are stored by then
   */
  override async execute(options: ExecuteOptions = {}): Promise<RunSummary> {
    const { report, ...run } = options;
    const summary = await super.execute(run);
    if (report !== undefined) await writeReport(report, this, summary);
    return summary;
  }

  /** The task graph as Mermaid flowchart text, nodes styled by their state in the last run (when there was one). */
  toMermaid(options?: GraphTextOptions): string {
    return toMermaid(this, this.lastRun && vizStates(this.lastRun), options);
  }

  /** The task graph in Graphviz DOT, nodes styled by their state in the last run (when there was one). */
  toDot(options?: GraphTextOptions): string {
    return toDot(this, this.lastRun && vizStates(this.lastRun), options);
  }
}

export type { PipelineOptions };
