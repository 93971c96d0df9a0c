export { CacacheStore } from "./store.js";
export type { CacheEntry, CacheEntryDetails } from "./entry.js";
export { cacacheStore } from "./factory.js";
export type { CacacheStoreInit, CacacheStoreOptions } from "./options.js";
export { inspectEntry, listCachedPipelines, listEntries } from "./tools.js";
export type { CachedPipeline } from "./tools.js";
export { HOME_ENV, defaultHome, folderName, pipelineDir } from "./paths.js";
export { CacheIntegrityWarning, CacheNameClashError, CacheReadOnlyError, CacheSymlinkError } from "./errors.js";
export type { CacheErrorCode, IntegrityProblem } from "./errors.js";
