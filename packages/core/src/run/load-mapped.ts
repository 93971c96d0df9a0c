type MappedCode = typeof import("../mapped-code.js");

let loading: Promise<MappedCode> | undefined;

/**
 * The code of mapped tasks. A pipeline without one never calls it, so it loads on first use,
 * always from a path that is asynchronous anyway (a run, a status, a branch lookup), and
 * every start compiles less.
 */
export function loadMappedCode(): Promise<MappedCode> {
  return (loading ??= import("../mapped-code.js"));
}
