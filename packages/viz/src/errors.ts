import { LpError, UnknownTaskError } from "@lp/core";

/** States, a run summary or statuses that name a task the pipeline does not have: they belong to another pipeline. */
export class StateMismatchError extends UnknownTaskError {
  constructor(
    readonly where: string,
    pipeline: string,
    task: string,
    suggestion?: string,
    /** What named the task: `states`, `run summary` or `statuses`. */
    readonly source = "states",
  ) {
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : "";
    super(pipeline, task, suggestion, `${where}: task "${task}" in the ${source} is not in pipeline "${pipeline}".${hint} Pass the ${source} of this pipeline.`);
  }
}

/** Stable codes of the errors `@lp/viz` defines itself. */
export type VizErrorCode = "LP_REPORT_WRITE";

/** The report could not be written to its file. */
export class ReportWriteError extends LpError {
  declare readonly code: VizErrorCode;
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super("LP_REPORT_WRITE", `writeReport(): could not write the report to "${path}" (${detail}). Choose a path in a folder you can write to.`, {
      cause,
      retryable: true,
    });
  }
}
