import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { toFileName } from "./file-name.js";

/** Environment variables, injectable so that tests need not touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where file logs go: a folder, a folder per pipeline, or `false` for no files. */
export type LogDirOption = string | false | ((pipeline: string) => string);

/**
 * The little-pipelines home folder: `LP_HOME`, else `~/.little_pipelines`.
 * @param env - @default process.env
 */
export function lpHome(env: Env = process.env): string {
  return env.LP_HOME ? resolve(env.LP_HOME) : join(homedir(), ".little_pipelines");
}

/**
 * The folder a pipeline's task logs go to, or `undefined` when file logs are off.
 * In order: the `logDir` option, `LP_LOG_DIR`, the seed's `LOG_DIR`, then
 * `<home>/<pipeline>/logs` with the pipeline's name made a safe folder name.
 * @example resolveLogDir("Example1", undefined, {}) // "/home/me/.little_pipelines/Example1/logs"
 */
export function resolveLogDir(pipeline: string, logDir: LogDirOption | undefined, env: Env = process.env): string | undefined {
  if (logDir === false) return undefined;
  if (typeof logDir === "string") return resolve(logDir);
  if (typeof logDir === "function") return resolve(logDir(pipeline));
  const fromEnv = env.LP_LOG_DIR || env.LOG_DIR;
  if (fromEnv) return resolve(fromEnv);
  return join(lpHome(env), toFileName(pipeline), "logs");
}
