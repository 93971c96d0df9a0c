import type { Pipeline, Task } from "@lp/core";
import type { WorkerHooks } from "@lp/core/internal";

/**
 * The tasks and pipelines created in this worker, learnt through core's worker hooks as
 * the pipeline's modules are imported.
 */
export class TaskRegistry {
  readonly tasks: Task<unknown>[] = [];
  readonly pipelines: Pipeline[] = [];
  #onExecute: (() => void)[] = [];

  readonly hooks: WorkerHooks = {
    taskCreated: (task) => {
      this.tasks.push(task);
    },
    pipelineCreated: (pipeline) => {
      this.pipelines.push(pipeline);
    },
    executeCalled: () => {
      for (const notify of this.#onExecute.splice(0)) notify();
    },
  };

  /** Resolves the next time a module calls `pipeline.execute()`. */
  nextExecute(): Promise<void> {
    return new Promise((resolve) => this.#onExecute.push(resolve));
  }

  /**
   * The task an attempt is for: the one of that name defined in `module`; when a module
   * defines several of that name, the one in the pipeline being run.
   */
  find(name: string, module: string | undefined, pipeline: string): Task<unknown>[] {
    const named = this.tasks.filter((t) => t.name === name);
    const same = named.filter((t) => t.definedIn === module);
    const candidates = same.length > 0 ? same : named;
    if (candidates.length <= 1) return candidates;
    const inPipeline = candidates.filter((t) => this.pipelines.some((p) => p.name === pipeline && p.hasTask(name) && p.getTask(name) === t));
    return inPipeline.length > 0 ? inPipeline : candidates;
  }

  /** A task of this name, for its serializer when reading its result. */
  byName(name: string, pipeline: string): Task<unknown> | undefined {
    return this.find(name, undefined, pipeline)[0];
  }
}
