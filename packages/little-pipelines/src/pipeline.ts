import { cacacheStore } from "@lp/cache";
import { Pipeline as CorePipeline, type PipelineOptions } from "@lp/core";
import { createLogger } from "@lp/logging";

/**
 * A pipeline with the batteries in: results in the durable on-disk cache
 * (`~/.little_pipelines/<name>/`, or under `LP_HOME`) and console plus file logs.
 * Any option given replaces its default.
 *
 * @example
 * const pipeline = new Pipeline("Example1").add(taskOne, taskTwo);
 * await pipeline.execute();
 */
export class Pipeline extends CorePipeline {
  constructor(name: string, options: PipelineOptions = {}) {
    super(name, {
      ...options,
      store: options.store ?? cacacheStore(),
      logger: options.logger ?? createLogger(),
    });
  }
}

export type { PipelineOptions };
