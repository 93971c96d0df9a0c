import { LpError } from "@lp/core";
import { errorMessage } from "@lp/core/internal";

/** Stable codes of the errors `@lp/logging` defines itself. */
export type LoggingErrorCode = "LP_LOG_FILE";

/**
 * A task's log file could not be written (disk full, read-only or missing folder).
 * Never thrown into a task or a run: the logger reports it once on the console (its
 * `code` is in JSON-lines output) and carries on without files.
 */
export class LogFileError extends LpError {
  declare readonly code: LoggingErrorCode;

  constructor(
    /** The file or folder that could not be written. */
    readonly file: string,
    /** The task whose line was being written. */
    readonly task: string | undefined,
    cause: unknown,
  ) {
    const whose = task === undefined ? "" : ` for task "${task}"`;
    super(
      "LP_LOG_FILE",
      `Cannot write the log file "${file}"${whose} (${errorMessage(cause)}). File logs in that folder are off until the run ends; free some space, or set logDir (or LP_LOG_DIR) to a writable folder.`,
      { cause, retryable: true },
    );
  }
}
