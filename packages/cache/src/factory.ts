import type { PipelineLocation } from "@lp/core";
import { type CacacheStoreOptions, checkOptions } from "./options.js";
import { CacacheStore } from "./store.js";

/**
 * A store option for pipelines: each pipeline gets a {@link CacacheStore} in
 * `<home>/<pipeline name>/` (or in `dir`). Without `home`, the pipeline's own location
 * decides: `$LP_HOME`, else `.little_pipelines/` at the root of the project that defines the
 * pipeline. Options are checked here, at once.
 *
 * @example
 * const pipeline = new Pipeline("Example1", { store: cacacheStore() });
 * const small = new Pipeline("Scratch", { store: cacacheStore({ home: "/tmp/lp", maxSize: 100e6 }) });
 * @throws InvalidOptionError for a bad option
 */
export function cacacheStore(options: CacacheStoreOptions = {}): (pipelineName: string, location?: PipelineLocation) => CacacheStore {
  checkOptions("cacacheStore()", options);
  return (pipelineName, location) => new CacacheStore({ ...options, home: options.home ?? location?.home, pipeline: pipelineName });
}
