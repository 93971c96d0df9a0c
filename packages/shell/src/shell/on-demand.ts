// What a shell needs once it starts or runs a command: the line editor and the command
// implementations with their formatting. Loaded then (see `loadOnDemand`), so that importing
// the package, or the umbrella that re-exports `Shell`, does not compile them.
// Only a Shell loads this module, so what the package's entry loads has been loaded by then.
// Importing it here too lets the build put all of it into one file shared with the command
// line and this module, instead of several files that every import of the package would load
// and resolve (Node's ES module loader pays for each).
import "../errors.js";
import "../cli/json.js";
import "../load/find-file.js";
import "../load/is-pipeline.js";
import "../load/load-pipeline.js";
import "./shell.js";
export { createInterface } from "node:readline";
export * as cache from "../actions/cache.js";
export * as graphs from "../actions/graph.js";
export * as run from "../actions/run.js";
export * as tasks from "../actions/tasks.js";
export { builtinCompletions } from "./builtin-completions.js";
export { completeLine } from "./complete.js";
export { loadHistory, saveHistory } from "./history.js";
