import { InvalidOptionError, LpError, describeValue } from "../errors.js";
import { closestName } from "../graph/suggest.js";

/** An option name that the call does not know: most often a typo, which would otherwise be ignored silently. */
export class UnknownOptionError extends LpError {
  constructor(
    where: string,
    readonly option: string,
    known: readonly string[],
  ) {
    const guess = closestName(option, known);
    super(
      "LP_UNKNOWN_OPTION",
      `${where}: unknown option \`${option}\`.${guess ? ` Did you mean \`${guess}\`?` : ""} The options are ${known.map((k) => `\`${k}\``).join(", ")}.`,
      { retryable: false },
    );
  }
}

/**
 * Checks that `options` is a plain object with no keys outside `known`.
 * @throws InvalidOptionError when it is not an object; UnknownOptionError for an unknown key
 */
export function checkOptionKeys(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(where, "options", "an object of options", options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new UnknownOptionError(where, key, known);
  }
}

/** Longest task or pipeline name, in characters: names are keys in the store and appear in file names and output. */
export const MAX_TASK_NAME = 1024;

/**
 * A name no task can have: results, digests and summaries are kept by task name in plain
 * objects, where this key sets the prototype instead of a member and the task's result would
 * be lost from its dependents' fingerprints.
 */
const PROTOTYPE_KEY = "__proto__";

/** A valid task name, or an InvalidOptionError naming what is wrong with it. */
export function checkTaskOwnName(where: string, name: unknown): asserts name is string {
  checkTaskName(where, name);
  if (name === PROTOTYPE_KEY) {
    throw new InvalidOptionError(where, "name", {
      message: `${where}: "${PROTOTYPE_KEY}" cannot be a task name: JavaScript objects reserve it for their prototype. Rename the task.`,
    });
  }
}

/** A valid task or pipeline name, or an InvalidOptionError naming what is wrong with it. */
export function checkTaskName(where: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name.trim() === "" || name.includes("\n") || name.includes("\r")) {
    throw new InvalidOptionError(where, "name", "a non-empty string without line breaks", name);
  }
  if (name.length > MAX_TASK_NAME) {
    throw new InvalidOptionError(where, "name", `at most ${MAX_TASK_NAME} characters`, `a name of ${name.length} characters (${describeValue(name)})`);
  }
}
