/**
 * The code that runs, plans and locates the branches of mapped tasks, loaded by
 * `loadMappedCode` when first needed instead of with the package. In the ES module build it
 * is a file of its own that takes everything else from the package's one main file.
 */
export { mappedEnv } from "./map/env.js";
export { fileItems, noFilesNote } from "./map/items.js";
export { itemsFor, planBranches } from "./map/plan.js";
export { runMapped } from "./map/run-mapped.js";
