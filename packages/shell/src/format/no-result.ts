import type { Pipeline, TaskStatus } from "@lp/core";

/**
 * How the last logged run of a task's processes ended: the middle column of its closing line,
 * or `EXEC` when it has none. A `SKIP` (cached, or skipped by request) ran nothing, so the
 * run before it is the one that tells.
 */
type Outcome = "DONE" | "FAIL" | "EXEC";
const OUTCOMES = new Set<string>(["DONE", "FAIL", "EXEC"]);

/** Most tasks without a result whose logs are read for one status. */
const MAX_LOOK_UPS = 50;

/** Length of `YYYY-MM-DD HH:mm:ss.SSS | ` before a pretty log line's task column. */
const STAMP_WIDTH = 26;

/** The kind of one logged line of `task` (`EXEC`, `FAIL` …), from a pretty or a JSON line. */
function kindOf(line: string, task: string): string | undefined {
  if (line.startsWith("{")) {
    try {
      const kind = (JSON.parse(line) as { kind?: unknown }).kind;
      return typeof kind === "string" ? kind : undefined;
    } catch {
      return undefined;
    }
  }
  if (line.startsWith(" ")) return undefined; // a stack trace under the line above
  return /^(\w+)\s*\|/.exec(line.slice(STAMP_WIDTH + task.length + " | ".length))?.[1];
}

/** How the last logged run of the task ended, `null` when it has no logged lines, `undefined` when the logs cannot tell. */
function lastOutcome(pipeline: Pipeline, task: string): Outcome | null | undefined {
  let lines: string[] | undefined;
  try {
    lines = pipeline.taskLog(task);
  } catch {
    return undefined; // logs that cannot be read tell nothing; the status itself still stands
  }
  if (lines === undefined) return undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const kind = kindOf(lines[i]!, task);
    if (kind !== undefined && OUTCOMES.has(kind)) return kind as Outcome;
  }
  return lines.length === 0 ? null : undefined;
}

/**
 * The store keeps nothing of a task without a result — whether it failed, was killed, was
 * skipped, had its result cleared or never ran — so core says "never run". The pipeline's logs can
 * tell these apart: this rewrites the reason of such tasks from their last logged run, and
 * says the neutral "no stored result" where the logs cannot tell (or more than
 * {@link MAX_LOOK_UPS} tasks have no result).
 * @param logsHint - how to see a task's log, e.g. `(t) => \`lp logs ${t}\``
 */
export function explainMissingResults(
  pipeline: Pipeline,
  statuses: readonly TaskStatus[],
  logsHint: (task: string) => string,
): TaskStatus[] {
  // Each look-up reads the pipeline's whole log: past a few tasks, say only what is certain.
  const lookUp = statuses.filter((s) => s.decision.reason.kind === "never-run").length <= MAX_LOOK_UPS;
  return statuses.map((s) => {
    if (s.decision.reason.kind !== "never-run") return s;
    const text = missingResultText(lookUp ? lastOutcome(pipeline, s.task) : undefined, logsHint(s.task));
    return text === s.decision.text ? s : { ...s, decision: { ...s.decision, text } };
  });
}

function missingResultText(outcome: Outcome | null | undefined, hint: string): string {
  switch (outcome) {
    case "FAIL":
      return `no stored result: failed the last time it ran; see ${hint}`;
    case "EXEC":
      return `no stored result: did not finish the last time it ran; see ${hint}`;
    case "DONE":
      return "no stored result: cleared or removed since it last ran";
    case null:
      return "never run (no stored result)";
    default:
      return "no stored result";
  }
}
