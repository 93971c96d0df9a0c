/**
 * @lp/threads: runs little-pipelines task attempts on worker threads, behind core's
 * executor contract.
 */
export { ThreadsExecutor, threadsExecutor } from "./threads-executor.js";
export type { ThreadsOptions } from "./threads-executor.js";
export { WorkerCrashError, WorkerLoadError } from "./errors.js";
