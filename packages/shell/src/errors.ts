import { LpError } from "@lp/core";

/** Stable codes of the errors the shell and the `lp` command line raise. */
export type ShellErrorCode =
  | "LP_UNKNOWN_COMMAND"
  | "LP_USAGE"
  | "LP_PIPELINE_FILE"
  | "LP_NO_PIPELINE_EXPORT"
  | "LP_PIPELINE_LOAD"
  | "LP_NO_TYPESCRIPT"
  | "LP_NO_DISTRIBUTED";

/**
 * Base class of the shell's own errors. Task and pipeline errors come from `@lp/core`
 * (`LpError`); these cover what only a shell or a command line can get wrong, none of
 * which a retry would fix.
 */
export class ShellError extends LpError {
  declare readonly code: ShellErrorCode;
  constructor(code: ShellErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, retryable: false });
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
    hint?: string,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super("LP_PIPELINE_LOAD", `Pipeline file ${file} failed to load: ${detail}${hint ? `\n${hint}` : ""}`, { cause });
  }
}

/**
 * A TypeScript pipeline file with nothing to load it: tsx (an optional peer dependency)
 * is not installed or fails to load, and this Node.js does not strip types itself.
 */
export class TypeScriptLoaderError extends ShellError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const missing = isMissingTsx(cause);
    const why = missing ? "needs tsx, which is not installed" : `needs tsx, which failed to load (${cause instanceof Error ? cause.message : String(cause)})`;
    super(
      "LP_NO_TYPESCRIPT",
      `Pipeline file ${file} is TypeScript and ${why}. Install it beside little-pipelines (npm install --save-dev tsx), use a Node.js that strips types itself (22.18 or later), or compile the file to JavaScript.`,
      { cause },
    );
  }
}

/** Whether `error` says the `tsx` package itself could not be found. */
export function isMissingTsx(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && typeof message === "string" && /['"]tsx['"/]/.test(message);
}

/** `--redis` or `lp worker` without `@lp/bullmq` installed (an optional peer: it brings Redis clients). */
export class DistributedMissingError extends ShellError {
  constructor(
    readonly command: string,
    cause: unknown,
  ) {
    super(
      "LP_NO_DISTRIBUTED",
      `${command}: distributed runs need @lp/bullmq, which ${isMissingPackage(cause, "@lp/bullmq") ? "is not installed" : `failed to load (${cause instanceof Error ? cause.message : String(cause)})`}. Install it beside little-pipelines: npm install @lp/bullmq`,
      { cause },
    );
  }
}

function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && typeof message === "string" && message.includes(name);
}
