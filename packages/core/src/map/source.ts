import { InvalidOptionError } from "../errors.js";
import type { Task } from "../task/task.js";

/** Maps a task over the files matching some paths or globs: one branch per file. */
export interface FileMap {
  readonly kind: "files";
  /** Paths or globs, relative to the pipeline's `cwd`. */
  readonly patterns: readonly string[];
}

/**
 * What a mapped task runs over: an upstream task's result (an array; by Task or name) or
 * the files matching `inputFiles(...)`.
 */
// biome-ignore lint/suspicious/noExplicitAny: an upstream of any array type can be mapped over
export type MapOver = string | Task<any> | FileMap;

/** A task's `map` option as the scheduler reads it. */
export type MapSource = { kind: "task"; task: string } | FileMap;

/**
 * Maps a task over files: `map: inputFiles("data/*.csv")` runs the task once per matching
 * file, with `this.item` the file's absolute path. A branch is keyed by the file's path
 * and content, so editing one file re-runs one branch.
 * @param patterns - paths or globs relative to the pipeline's `cwd`
 * @throws InvalidOptionError when no pattern is given or one is not a non-empty string
 * @example new Task("Clean", { map: inputFiles("data/*.csv"), run() { return readFileSync(this.item, "utf8"); } })
 */
export function inputFiles(...patterns: string[]): FileMap {
  const flat = patterns.flat();
  if (flat.length === 0 || flat.some((p) => typeof p !== "string" || p === "")) {
    throw new InvalidOptionError("inputFiles()", "patterns", "one or more paths or globs", flat);
  }
  return { kind: "files", patterns: flat };
}

/** Reads a `map` option; `undefined` for a task that is not mapped. */
export function mapSourceOf(where: string, map: unknown): MapSource | undefined {
  if (map === undefined) return undefined;
  if (typeof map === "string" && map !== "") return { kind: "task", task: map };
  if (typeof map === "object" && map !== null) {
    if ((map as FileMap).kind === "files" && Array.isArray((map as FileMap).patterns)) return map as FileMap;
    const name = (map as { name?: unknown }).name;
    if (typeof name === "string" && typeof (map as { process?: unknown }).process === "function") return { kind: "task", task: name };
  }
  throw new InvalidOptionError(where, "map", 'a task, a task name, or inputFiles("glob")', map);
}

/** A short label for one branch, e.g. `Clean[3]`. */
export function branchLabel(task: string, index: number): string {
  return `${task}[${index}]`;
}
