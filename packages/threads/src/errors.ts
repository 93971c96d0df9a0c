import { LpError } from "@lp/core";

/** A worker thread died during an attempt (out of memory, `process.exit`, a native crash); the pool replaced it. */
export class WorkerCrashError extends LpError {
  constructor(
    readonly task: string,
    readonly attempt: number,
    detail: string,
    cause?: unknown,
  ) {
    super(
      "LP_WORKER_CRASHED",
      `Task "${task}": its worker thread stopped during attempt ${attempt} (${detail}). The thread was replaced; give the task \`retries\` to try again, or \`runIn: "main"\` if it must not leave the main thread.`,
      { cause, retryable: true },
    );
  }
}

/** A worker could not load a task from its module, or loaded different code than the run fingerprinted. Retrying cannot help. */
export class WorkerLoadError extends LpError {
  constructor(
    readonly task: string,
    message: string,
    cause?: unknown,
  ) {
    super("LP_WORKER_LOAD", `Task "${task}": ${message}`, { cause, retryable: false });
  }
}
