import { errorMessage } from "@lp/core/internal";
import { ShellError } from "../errors.js";
import { EXIT, line } from "./io.js";

/** Codes of errors that mean the command line was wrong, not the pipeline. */
const USAGE_CODES = new Set(["LP_USAGE", "LP_UNKNOWN_COMMAND", "LP_PIPELINE_FILE", "LP_NO_PIPELINE_EXPORT", "LP_NO_TYPESCRIPT", "LP_UNKNOWN_TASK", "LP_INVALID_OPTION"]);

/**
 * Reports an error from `lp` and picks the exit code: a usage error is one line and 2;
 * anything else (a pipeline that fails to load or is invalid) prints the details and 1.
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && USAGE_CODES.has(code)) {
    line(stderr, prefixed(errorMessage(error).split("\n")[0]!));
    return EXIT.usage;
  }
  line(stderr, prefixed(errorMessage(error)));
  const cause = error instanceof ShellError ? error.cause : error;
  const known = typeof code === "string" && code.startsWith("LP_") && !(error instanceof ShellError);
  const frames = !known && cause instanceof Error ? (cause.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)) : [];
  if (frames.length > 0) line(stderr, frames.slice(0, 12).join("\n"));
  return EXIT.failed;
}

/** Every message says it comes from lp: `lp run: …` already does, others get `lp: `. */
function prefixed(message: string): string {
  return /^lp[\s:]/.test(message) ? message : `lp: ${message}`;
}
