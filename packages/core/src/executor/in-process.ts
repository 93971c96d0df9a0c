import type { Executor, ResultBytes } from "../contracts/executor.js";
import type { Pipeline } from "../pipeline.js";
import { readStored } from "../run/read.js";
import { keepValue } from "../task/outcome.js";
import { runTaskAttempt } from "./attempt.js";

/**
 * A dependency's result as a value for a process on this thread: handed over as it is,
 * else deserialized from its bytes (and kept as `task.result` when small).
 */
export async function readValue(pipeline: Pipeline, name: string, read: Promise<ResultBytes>): Promise<unknown> {
  const bytes = await read;
  if ("value" in bytes) return bytes.value;
  const { body, serializer } = bytes;
  const value = readStored(pipeline, name, body, serializer);
  if (pipeline.hasTask(name)) keepValue(pipeline.getTask(name), value, body.byteLength);
  return value;
}

/**
 * Runs every attempt on the calling thread: the default. Upstream results are deserialized
 * from the bytes the run holds or the store keeps; `this.pipeline` is the pipeline itself.
 * (The run itself calls an attempt on this thread directly, without a request or a promise
 * for a task whose `run` returns a plain value: see run/invoke.ts.)
 */
export const inProcessExecutor: Executor = {
  name: "in-process",
  run(request) {
    const { pipeline } = request;
    return runTaskAttempt(request.task, {
      pipeline,
      get logger() {
        return request.logger;
      },
      // Read only when the task asks for it: the run makes the signal on first use.
      get signal() {
        return request.signal;
      },
      attempt: request.identity.attempt,
      readResult: (name) => readValue(pipeline, name, request.readResult(name)),
      onProcess: request.onProcess,
      branch: request.identity.branch,
    });
  },
};
