import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LpError } from "@lp/core";
import { errorMessage, firstUserFrame } from "@lp/core/internal";
import { PipelineLoadError, ShellError } from "../errors.js";
import { EXIT, line } from "./io.js";

/** Codes of errors that mean the command line was wrong, not the pipeline. */
const USAGE_CODES = new Set([
  "LP_USAGE",
  "LP_UNKNOWN_COMMAND",
  "LP_PIPELINE_FILE",
  "LP_NO_PIPELINE_EXPORT",
  "LP_NO_TYPESCRIPT",
  "LP_UNKNOWN_TASK",
  "LP_INVALID_OPTION",
]);

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
  const frames = framesToShow(error);
  if (frames.length > 0) line(stderr, frames.join("\n"));
  return EXIT.failed;
}

/**
 * The stack lines worth showing under an error's message. An error of ours already says what
 * is wrong, so it gets none — or, when the pipeline file raised it while loading, the one line
 * in the user's code that did. Anything else (a bug, a crash) gets its first frames.
 */
function framesToShow(error: unknown): string[] {
  if (error instanceof PipelineLoadError && error.cause instanceof LpError) {
    const frame = firstUserFrame(error.cause);
    return frame ? [`    ${relativeFrame(frame).replace(/^at <anonymous> \((.*)\)$/, "at $1")}`] : [];
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && code.startsWith("LP_") && !(error instanceof ShellError)) return [];
  const cause = error instanceof ShellError ? error.cause : error;
  if (!(cause instanceof Error)) return [];
  return (cause.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 12);
}

/** `at f (/home/me/project/pipeline.ts:3:18)` → `at f (pipeline.ts:3:18)`, relative to the working directory. */
function relativeFrame(frame: string): string {
  return frame.replace(/(file:\/\/\S+?|\/\S+?)(:\d+:\d+)/, (_all, file: string, position: string) => {
    const path = file.startsWith("file://") ? fileURLToPath(file) : file;
    const rel = relative(process.cwd(), path);
    return `${rel.startsWith("..") ? path : rel}${position}`;
  });
}

/** Every message says it comes from lp: `lp run: …` already does, others get `lp: `. */
function prefixed(message: string): string {
  return /^lp[\s:]/.test(message) ? message : `lp: ${message}`;
}
