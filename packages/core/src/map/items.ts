import { resolve } from "node:path";
import { serialize } from "node:v8";
import { NotAListError, errorMessage, LpError } from "../errors.js";
import { hashInputFiles } from "../fingerprint/input-files.js";
import { hashText } from "../fingerprint/hash.js";
import type { Task } from "../task/task.js";

/** One element a mapped task runs over. */
export interface BranchItem {
  /** Position in the upstream array (or in the sorted file list). */
  index: number;
  /** `this.item`: the element, or the file's absolute path. */
  item: unknown;
  /** Digest of the element's value, or of the file's relative path and contents. */
  digest: string;
  /** For a file map: the path relative to `cwd`. */
  file?: string | undefined;
}

/** Digest of an element (as structured-clone bytes): equal values give equal digests. */
function elementDigest(task: string, index: number, element: unknown): string {
  // Strings and numbers, the usual elements, need no structured serialization: tagged by type
  // (a NUL never occurs in base64), they cannot meet an object's digest or each other's.
  if (typeof element === "string") return hashText(`string\u0000${element}`);
  if (typeof element === "number") return hashText(`number\u0000${Object.is(element, -0) ? "-0" : element}`);
  try {
    return hashText(Buffer.from(serialize(element)).toString("base64"));
  } catch (error) {
    throw new LpError(
      "LP_SERIALIZATION",
      `Task "${task}": element ${index} of the list it is mapped over cannot be fingerprinted (${errorMessage(error)}). Map over plain data (no functions or class instances with private state).`,
      { cause: error, retryable: false },
    );
  }
}

/**
 * The elements of an upstream result, each with its digest.
 * @throws NotAListError when the upstream's result is not an array
 */
export function listItems(task: Task<unknown>, upstream: string, value: unknown): BranchItem[] {
  if (!Array.isArray(value)) throw new NotAListError(task.name, upstream, value);
  return value.map((item, index) => ({ index, item, digest: elementDigest(task.name, index, item) }));
}

/** One item per matching file, sorted by path; a file is known by its path and contents. */
export async function fileItems(task: Task<unknown>, patterns: readonly string[], cwd: string): Promise<BranchItem[]> {
  const digests = await hashInputFiles(task.name, patterns, cwd, true);
  return Object.keys(digests)
    .sort()
    .map((file, index) => ({ index, item: resolve(cwd, file), file, digest: hashText(`${file}\u0000${digests[file]}`) }));
}

/**
 * What to say of a file map that matched no file. Only globs can match nothing (a literal
 * path must exist), and an empty folder may be meant, so this is a warning, not an error.
 */
export function noFilesNote(patterns: readonly string[], cwd: string): string {
  const shown = patterns.map((p) => JSON.stringify(p)).join(", ");
  return `inputFiles(${shown}) matched no file in ${resolve(cwd)}, so no branch runs; check the pattern and the pipeline's cwd`;
}
