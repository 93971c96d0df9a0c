import type { Pipeline } from "../pipeline.js";
import type { Task } from "../task/task.js";

/**
 * Installed by a worker (a thread of `@lp/threads`, or a process on another machine)
 * before it imports the modules that define a pipeline's tasks: it learns which tasks
 * they create, and a module that calls `pipeline.execute()` at top level does not run
 * the pipeline again inside the worker.
 */
export interface WorkerHooks {
  /** A task was constructed. */
  taskCreated(task: Task<unknown>): void;
  /** A pipeline was constructed. */
  pipelineCreated(pipeline: Pipeline): void;
  /** `execute()` was called; it will never settle in this worker. */
  executeCalled(pipeline: Pipeline): void;
}

// A global symbol, so that every copy of @lp/core loaded in the worker sees the same hooks.
const KEY = Symbol.for("little-pipelines.worker-hooks");

/** The hooks installed in this thread, if it is a worker. */
export function workerHooks(): WorkerHooks | undefined {
  return (globalThis as { [KEY]?: WorkerHooks })[KEY];
}

/**
 * Marks this thread as a worker. Call it before importing any module that defines tasks.
 * @example installWorkerHooks({ taskCreated: (t) => tasks.push(t), pipelineCreated() {}, executeCalled() {} });
 */
export function installWorkerHooks(hooks: WorkerHooks): void {
  (globalThis as { [KEY]?: WorkerHooks })[KEY] = hooks;
}
