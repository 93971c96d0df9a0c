/**
 * The worker thread's entry: loads a task from the module that defines it and runs one
 * attempt, talking to the scheduler through the attempt's port. Loaded by the pool only.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Pipeline, Task } from "@lp/core";
import { installWorkerHooks, readStored, runTaskAttempt, skipCallSitesUnder } from "@lp/core/internal";
import { WorkerLoadError } from "./errors.js";
import { loadModule } from "./load-module.js";
import { MainChannel } from "./main-channel.js";
import type { WorkerJob } from "./messages.js";
import { TaskRegistry } from "./task-registry.js";

const registry = new TaskRegistry();
installWorkerHooks(registry.hooks);
// This package's frames are never a task's call site, here as on the main thread.
skipCallSitesUnder(dirname(fileURLToPath(import.meta.url)));

async function findTask(job: WorkerJob): Promise<Task<unknown>> {
  const { identity } = job;
  const module = identity.module!;
  try {
    await loadModule(module, registry);
  } catch (error) {
    throw new WorkerLoadError(identity.task, `importing its module ${module} in a worker thread failed: ${(error as Error)?.message ?? String(error)}`, error);
  }
  const found = registry.find(identity.task, module, identity.pipeline);
  if (found.length > 1) {
    throw new WorkerLoadError(identity.task, `${module} creates ${found.length} tasks of that name, and a worker cannot tell which one to run. Give them different names.`);
  }
  if (found[0]) return found[0];
  throw new WorkerLoadError(
    identity.task,
    `importing ${module} in a worker thread did not create it. A task runs on a thread only if importing its module creates it, before the module's first \`pipeline.execute()\` (which does not run inside a worker). Create it at top level, above that call, or give it \`runIn: "main"\`.`,
  );
}

/** `this.pipeline` in a worker: the pipeline's name and its results, read through the scheduler. */
function pipelineHandle(name: string, read: (task: string) => Promise<unknown>): Pipeline {
  const handle = {
    name,
    getResult: (nameOrTask: string | Task<unknown>) => read(typeof nameOrTask === "string" ? nameOrTask : nameOrTask.name),
    hasTask: (task: string) => registry.byName(task, name) !== undefined,
    getTask: (task: string) => registry.byName(task, name),
  };
  return handle as unknown as Pipeline;
}

/** Runs one attempt; its outcome goes back through the job's port, never through the pool. */
export default async function runJob(job: WorkerJob): Promise<void> {
  const channel = new MainChannel(job.port);
  const { identity } = job;
  try {
    const task = await findTask(job);
    // The same module hashed to another digest: it (or a module it imports) changed on disk
    // since the run fingerprinted it.
    if (task.codeDigest() !== identity.codeDigest) {
      throw new WorkerLoadError(
        identity.task,
        "its code changed on disk after the run started, so a worker thread would run other code than the run fingerprinted. Run the pipeline again.",
      );
    }
    const read = async (name: string) => {
      const { body, serializer } = await channel.read(name);
      return readStored(pipeline, name, body, serializer);
    };
    const pipeline = pipelineHandle(identity.pipeline, read);
    const result = await runTaskAttempt(task, {
      pipeline,
      logger: channel.logger(identity.task),
      signal: channel.signal,
      attempt: identity.attempt,
      readResult: read,
      onProcess: (name, durationMs) => channel.send({ type: "process", name, durationMs }),
      branch: identity.branch,
    });
    channel.finish({ result });
  } catch (error) {
    channel.finish({ error });
  }
}
