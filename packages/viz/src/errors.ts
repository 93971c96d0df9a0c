import { LpError } from "@lp/core";

/** States, a run summary or statuses that name a task the pipeline does not have: they belong to another pipeline. */
export class StateMismatchError extends LpError {
  constructor(
    readonly where: string,
    readonly pipeline: string,
    readonly task: string,
    readonly suggestion?: string,
    /** What named the task: `states`, `run summary` or `statuses`. */
    readonly source = "states",
  ) {
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : "";
    super(
      "LP_UNKNOWN_TASK",
      `${where}: task "${task}" in the ${source} is not in pipeline "${pipeline}".${hint} Pass the ${source} of this pipeline.`,
    );
  }
}

/** The report could not be written to its file. */
export class ReportWriteError extends LpError {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super("LP_REPORT_WRITE", `writeReport(): could not write the report to "${path}" (${detail}). Choose a path in a folder you can write to.`, { cause });
  }
}
