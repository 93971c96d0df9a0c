import type { Executor } from "../contracts/executor.js";
import { readStored } from "../run/read.js";
import { keepValue } from "../task/outcome.js";
import { runTaskAttempt } from "./attempt.js";

/**
 * Runs every attempt on the calling thread: the default. Upstream results are deserialized
 * from the bytes the run holds or the store keeps; `this.pipeline` is the pipeline itself.
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
      readResult: async (name) => {
        const bytes = await request.readResult(name);
        if ("value" in bytes) return bytes.value;
        const { body, serializer } = bytes;
        const value = readStored(pipeline, name, body, serializer);
        if (pipeline.hasTask(name)) keepValue(pipeline.getTask(name), value, body.byteLength);
        return value;
      },
      onProcess: request.onProcess,
      branch: request.identity.branch,
    });
  },
};
