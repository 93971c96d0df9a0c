import { HOME_ENV, pipelineFolder, resultsHome, safeName } from "@lp/core/internal";

export { HOME_ENV };

/**
 * The folder that holds pipelines' cache folders when no pipeline says where it belongs:
 * `$LP_HOME` when set, else `.little_pipelines/` in the project of the working directory
 * (the nearest folder with a package.json). Pipelines pass their own project instead, so
 * the working directory does not matter to them.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resultsHome(undefined, env);
}

/**
 * The folder name for a pipeline, by the one naming rule the cache and the file logs share
 * (`@lp/core/internal`'s `safeName`): letters and digits of any script kept, anything that
 * could escape the home folder or collide with another name percent-encoded, long names cut
 * with a hash.
 *
 * @example folderName("../../etc") // "%2E.%2F..%2Fetc"
 */
export function folderName(pipeline: string): string {
  return safeName(pipeline);
}

/** The cache folder of a pipeline under `home` (default {@link defaultHome}). */
export function pipelineDir(pipeline: string, home: string = defaultHome()): string {
  return pipelineFolder(pipeline, home);
}
