import { InvalidOptionError, type RunSummary, type TaskStatus } from "@lp/core";

/**
 * What a picture shows for a task: its outcome in a run (`executed` … `cancelled`) or,
 * before a run, what `pipeline.status()` says of its stored result.
 */
export type VizState = "executed" | "cached" | "failed" | "upstream-failed" | "skipped" | "cancelled" | "outdated" | "not cached";

/** Every state, in the order legends list them. */
export const VIZ_STATES: readonly VizState[] = [
  "executed",
  "cached",
  "failed",
  "upstream-failed",
  "skipped",
  "cancelled",
  "outdated",
  "not cached",
];

const KNOWN = new Set<string>(VIZ_STATES);

/** Whether a value is one of {@link VIZ_STATES}. */
export function isVizState(value: unknown): value is VizState {
  return typeof value === "string" && KNOWN.has(value);
}

/**
 * The state of every task, from a run or from `pipeline.status()`, ready for
 * `toMermaid`, `toDot` and `renderTree`. A status of `expired` shows as `outdated`:
 * either way the stored result will not be used as it is.
 *
 * @param source - the summary `pipeline.execute()` returned, or the array `pipeline.status()` resolved to
 * @throws InvalidOptionError when `source` is neither
 * @example
 * console.log(toMermaid(pipeline, vizStates(await pipeline.execute())));
 */
export function vizStates(source: RunSummary | readonly TaskStatus[]): Map<string, VizState> {
  const out = new Map<string, VizState>();
  if (Array.isArray(source)) {
    for (const [i, status] of (source as readonly TaskStatus[]).entries()) {
      const state = status?.state === "expired" ? "outdated" : status?.state;
      if (typeof status?.task !== "string" || !isVizState(state)) {
        throw new InvalidOptionError("vizStates()", `source[${i}]`, "a TaskStatus from pipeline.status()", status);
      }
      out.set(status.task, state);
    }
    return out;
  }
  const tasks = (source as RunSummary | undefined)?.tasks;
  if (!Array.isArray(tasks)) {
    throw new InvalidOptionError("vizStates()", "source", "the RunSummary of pipeline.execute() or the array of pipeline.status()", source);
  }
  for (const [i, record] of tasks.entries()) {
    if (typeof record?.name !== "string" || !isVizState(record.state)) {
      throw new InvalidOptionError("vizStates()", `source.tasks[${i}]`, "a TaskRecord from pipeline.execute()", record);
    }
    out.set(record.name, record.state);
  }
  return out;
}
