// What a shell needs once it starts or runs a command: the line editor and the command
// implementations with their formatting. Loaded then (see `loadOnDemand`), so that importing
// the package, or the umbrella that re-exports `Shell`, does not compile them.
export { createInterface } from "node:readline";
export * as cache from "../actions/cache.js";
export * as graphs from "../actions/graph.js";
export * as run from "../actions/run.js";
export * as tasks from "../actions/tasks.js";
export { builtinCompletions } from "./builtin-completions.js";
export { completeLine } from "./complete.js";
export { loadHistory, saveHistory } from "./history.js";
