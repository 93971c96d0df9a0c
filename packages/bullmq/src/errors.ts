import { LpError } from "@lp/core";

/**
 * A worker's code for a task differs from the coordinator's: it refused the job rather
 * than store a result under the wrong code. Retrying cannot help; deploy the same code.
 */
export class VersionSkewError extends LpError {
  constructor(
    readonly task: string,
    readonly worker: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(
      "LP_VERSION_SKEW",
      `Task "${task}": worker ${worker} refused the job: its code fingerprint is ${found}, the coordinator's is ${expected}. Deploy the same code to the coordinator and every worker, then run again.`,
      { retryable: false },
    );
  }
}

/** A worker stopped (killed, lost its connection) during an attempt more often than stalled-job recovery allows. */
export class WorkerLostError extends LpError {
  constructor(
    readonly task: string,
    readonly attempt: number,
    detail: string,
  ) {
    super(
      "LP_WORKER_LOST",
      `Task "${task}": attempt ${attempt} failed: worker lost (${detail}). Give the task \`retries\` to try again on another worker.`,
      { retryable: true },
    );
  }
}
