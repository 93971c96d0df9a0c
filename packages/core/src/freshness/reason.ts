/** Why a task will run, or why it will not. */
export type Reason =
  | { kind: "fresh" }
  | { kind: "never-run" }
  | { kind: "forced" }
  | { kind: "code-changed"; parts?: readonly string[] | undefined }
  | { kind: "version-changed" }
  | { kind: "inputs-changed"; files: readonly string[] }
  | { kind: "upstream-changed"; tasks: readonly string[] }
  | { kind: "upstream-pending"; tasks: readonly string[] }
  | { kind: "expired"; at: number }
  | { kind: "session-ended" }
  | { kind: "unreadable"; detail: string }
  | { kind: "undecidable"; detail: string }
  | { kind: "skipped"; detail: string };

/** The freshness decision for one task. */
export interface TaskDecision {
  /** Whether the task's processes will run (false: the cached result is used or the task is skipped). */
  run: boolean;
  reason: Reason;
  /** The reason as a sentence, e.g. `input file data/a.csv changed`. */
  text: string;
}

const list = (xs: readonly string[]) => xs.join(", ");

const MAX_PARTS_SHOWN = 4;

function codeChangedText(parts: readonly string[] | undefined): string {
  if (parts === undefined) return "code changed (stored by an earlier fingerprint scheme: runs once)";
  if (parts.length === 0) return "code changed";
  const shown = parts.slice(0, MAX_PARTS_SHOWN).join(", ");
  return `code changed: ${shown}${parts.length > MAX_PARTS_SHOWN ? ` and ${parts.length - MAX_PARTS_SHOWN} more` : ""}`;
}

/** The sentence shown for a reason. */
export function describeReason(reason: Reason): string {
  switch (reason.kind) {
    case "fresh":
      return "cached result is fresh";
    case "never-run":
      return "never run (no stored result)";
    case "forced":
      return "forced";
    case "code-changed":
      return codeChangedText(reason.parts);
    case "version-changed":
      return "version changed";
    case "inputs-changed":
      return `input file${reason.files.length === 1 ? "" : "s"} ${list(reason.files)} changed`;
    case "upstream-changed":
      return `upstream ${list(reason.tasks)} changed`;
    case "upstream-pending":
      return `upstream ${list(reason.tasks)} will run; runs again only if ${reason.tasks.length === 1 ? "its result changes" : "their results change"}`;
    case "expired":
      return `expired at ${new Date(reason.at).toISOString()}`;
    case "session-ended":
      return "expired with the session that stored it";
    case "unreadable":
      return `stored result unreadable (${reason.detail})`;
    case "undecidable":
      return `cannot decide: ${reason.detail}`;
    case "skipped":
      return reason.detail;
  }
}

/** A decision from a reason. */
export function decision(reason: Reason): TaskDecision {
  return { run: reason.kind !== "fresh" && reason.kind !== "skipped", reason, text: describeReason(reason) };
}
