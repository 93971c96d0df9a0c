import type { FingerprintComponents, ResultMeta } from "../contracts/store.js";
import { diffComponents } from "../fingerprint/fingerprint.js";
import type { Reason, TaskDecision } from "./summary.js";

/** Everything the freshness decision looks at; none of it requires reading a result body. */
export interface FreshnessInput {
  meta: ResultMeta | undefined;
  components: FingerprintComponents;
  fingerprint: string;
  now: number;
  session: string;
  forced: boolean;
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

/**
 * Whether a task must run, and why. A task is fresh when a result is stored, its
 * fingerprint is unchanged, its session is alive and its expiry has not passed.
 */
export function decideFreshness(input: FreshnessInput): TaskDecision {
  const { meta } = input;
  if (input.forced) return decision({ kind: "forced" });
  if (!meta) return decision({ kind: "never-run" });
  if (!meta.components || typeof meta.fingerprint !== "string") {
    return decision({ kind: "unreadable", detail: "its metadata was written in another format" });
  }
  if (meta.fingerprint !== input.fingerprint) {
    const diff = diffComponents(meta.components, input.components);
    if (diff.code) return decision({ kind: "code-changed", parts: diff.codeParts });
    if (diff.version) return decision({ kind: "version-changed" });
    if (diff.inputs.length > 0) return decision({ kind: "inputs-changed", files: diff.inputs });
    if (diff.upstream.length > 0) return decision({ kind: "upstream-changed", tasks: diff.upstream });
    // Components equal but fingerprint not: written by another fingerprint scheme.
    return decision({ kind: "code-changed" });
  }
  if (meta.session !== undefined && meta.session !== input.session) return decision({ kind: "session-ended" });
  if (meta.expiresAt !== null && meta.expiresAt <= input.now) return decision({ kind: "expired", at: meta.expiresAt });
  return decision({ kind: "fresh" });
}
