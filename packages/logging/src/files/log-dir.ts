import { resolve } from "node:path";
import { type PipelineLocation, pipelineLogFolder, resultsHome } from "@lp/core/internal";

/** Environment variables, injectable so that tests need not touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where file logs go: a folder, a folder per pipeline, or `false` for no files. */
export type LogDirOption = string | false | ((pipeline: string) => string);

/**
 * The folder holding pipeline folders: `LP_HOME`, else `.little_pipelines/` in the project
 * of the working directory. A pipeline tells the logger its own (see `LoggerProvider.locate`).
 * @param env - @default process.env
 */
export function lpHome(env: Env = process.env): string {
  return resultsHome(undefined, env);
}

/**
 * The folder a pipeline's task logs go to, or `undefined` when file logs are off.
 * In order: the `logDir` option, `LP_LOG_DIR`, the seed's `LOG_DIR`, then the `logs`
 * folder inside the pipeline's results folder (`<home>/<pipeline>/logs`), named by the
 * same rule as the cache folder so the two always sit side by side.
 * @param location - where the pipeline belongs; @default the working directory's project
 * @example resolveLogDir("Example1", undefined, {}) // "/work/proj/.little_pipelines/Example1/logs"
 */
export function resolveLogDir(pipeline: string, logDir: LogDirOption | undefined, env: Env = process.env, location?: PipelineLocation): string | undefined {
  if (logDir === false) return undefined;
  if (typeof logDir === "string") return resolve(logDir);
  if (typeof logDir === "function") return resolve(logDir(pipeline));
  const fromEnv = env.LP_LOG_DIR || env.LOG_DIR;
  if (fromEnv) return resolve(fromEnv);
  // LP_HOME wins over the pipeline's project, as it does for the cache.
  const home = env.LP_HOME ? resultsHome(undefined, env) : (location?.home ?? lpHome(env));
  return pipelineLogFolder(pipeline, home);
}
