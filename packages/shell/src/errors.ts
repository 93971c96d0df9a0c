import { LpError } from "@lp/core";

/** Stable codes of the errors the shell and the `lp` command line raise. */
export type ShellErrorCode =
  | "LP_UNKNOWN_COMMAND"
  | "LP_USAGE"
  | "LP_PIPELINE_FILE"
  | "LP_NO_PIPELINE_EXPORT"
  | "LP_PIPELINE_LOAD";

/**
 * Base class of the shell's own errors. Task and pipeline errors come from `@lp/core`
 * (`LpError`); these cover what only a shell or a command line can get wrong.
 */
export class ShellError extends LpError {
  declare readonly code: ShellErrorCode;
  constructor(code: ShellErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A shell command that no method implements. */
export class UnknownCommandError extends ShellError {
  constructor(
    readonly command: string,
    readonly suggestion?: string,
  ) {
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : "";
    super("LP_UNKNOWN_COMMAND", `Unknown command "${command}".${hint} Type "help" to list the commands.`);
  }
}

/** Bad arguments to a shell command or to `lp`; `usage` is the correct form. */
export class UsageError extends ShellError {
  constructor(
    readonly command: string,
    detail: string,
    readonly usage?: string,
  ) {
    super("LP_USAGE", `${command}: ${detail}${usage ? ` Usage: ${usage}` : ""}`);
  }
}

/** A pipeline file that is missing or of a kind that cannot be loaded. */
export class PipelineFileError extends ShellError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super("LP_PIPELINE_FILE", `Pipeline file ${file} ${reason}.`);
  }
}

/** A pipeline file that loaded but exports no pipeline. */
export class NoPipelineExportError extends ShellError {
  constructor(
    readonly file: string,
    readonly exportNames: readonly string[],
  ) {
    const found = exportNames.length > 0 ? `it exports ${exportNames.join(", ")}` : "it exports nothing";
    super(
      "LP_NO_PIPELINE_EXPORT",
      `Pipeline file ${file} exports no pipeline (${found}). Add \`export default pipeline\`, \`export const pipeline = …\` or a default function returning one.`,
    );
  }
}

/** A pipeline file that threw while being imported, or whose default function threw. */
export class PipelineLoadError extends ShellError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super("LP_PIPELINE_LOAD", `Pipeline file ${file} failed to load: ${detail}`, { cause });
  }
}
