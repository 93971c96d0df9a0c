import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { safeName } from "./folder-name.js";

/** The environment variable that puts every pipeline's folder under one home (the seed's layout). */
export const HOME_ENV = "LP_HOME";

/** Name of the project-local folder that holds a project's pipelines. */
export const PROJECT_FOLDER = ".little_pipelines";

/** Environment variables, injectable so that tests need not touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where a pipeline belongs: its project and the folder that holds the project's pipeline
 * folders. Core works it out once per pipeline; the store and the file logs both use it.
 */
export interface PipelineLocation {
  /** The project folder: the nearest folder with a package.json above the pipeline's module. */
  projectRoot: string;
  /** The folder holding one folder per pipeline: `$LP_HOME`, else `<projectRoot>/.little_pipelines`. */
  home: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The project a file belongs to: the nearest folder at or above `from` that holds a
 * package.json, else `from`'s own folder (a loose script is its own project).
 */
export function findProjectRoot(from: string): string {
  const start = resolve(from);
  let dir = isDirectory(start) ? start : dirname(start);
  const first = dir;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) return first;
    dir = up;
  }
}

/**
 * The folder holding pipeline folders. `$LP_HOME` wins (set it to `~/.little_pipelines` for
 * the seed's shared layout); otherwise each project keeps its own `.little_pipelines/`, so
 * two projects that both name a pipeline "Report" never share results.
 * @param projectRoot - @default the project of the current working directory
 */
export function resultsHome(projectRoot?: string, env: Env = process.env): string {
  const fromEnv = env[HOME_ENV];
  if (fromEnv) return resolve(fromEnv);
  return join(projectRoot ?? findProjectRoot(process.cwd()), PROJECT_FOLDER);
}

/** The seed's shared home, `~/.little_pipelines`: where `LP_HOME` may point to keep the old layout. */
export function sharedHome(): string {
  return join(homedir(), PROJECT_FOLDER);
}

/** The location of a pipeline defined in `file` (or, when unknown, of the working directory's project). */
export function locatePipeline(file: string | undefined, env: Env = process.env): PipelineLocation {
  const projectRoot = findProjectRoot(file ?? process.cwd());
  return { projectRoot, home: resultsHome(projectRoot, env) };
}

/** A pipeline's own folder under `home`: results at its top, file logs in `logs/`. */
export function pipelineFolder(pipeline: string, home: string): string {
  return join(home, safeName(pipeline));
}

/** The default folder of a pipeline's file logs: beside its results. */
export function pipelineLogFolder(pipeline: string, home: string): string {
  return join(pipelineFolder(pipeline, home), "logs");
}
