import type { ResultMeta } from "../contracts/store.js";
import { errorMessage } from "../errors.js";
import { decideTask } from "../freshness/decide.js";
import { type TaskDecision, decision } from "../freshness/reason.js";
import type { Pipeline } from "../pipeline.js";
import { type BranchStatus, planBranches } from "../map/plan.js";
import { fileItems, noFilesNote } from "../map/items.js";
import type { Task } from "../task/task.js";

/** What `pipeline.status()` says of one task. */
export interface TaskStatus {
  task: string;
  decision: TaskDecision;
  /** Metadata of the stored result, if any (never the body). */
  meta: ResultMeta | undefined;
  /** `cached` (fresh), `not cached`, `expired` or `outdated` (fingerprint changed). */
  state: "cached" | "not cached" | "expired" | "outdated";
  /**
   * Set when part of the task's code could only be fingerprinted by its own source
   * (`code fingerprint: function source only …`): edits beyond it would not be noticed.
   */
  codeNote?: string | undefined;
  /** For a mapped task that would run: how many of its branches would run, and why. */
  branches?: BranchStatus | undefined;
  /** Set for a task mapped over files when its globs match no file (the run warns the same). */
  mapNote?: string | undefined;
}

function stateOf(d: TaskDecision, meta: ResultMeta | undefined): TaskStatus["state"] {
  if (!meta) return "not cached";
  if (!d.run) return "cached";
  const k = d.reason.kind;
  return k === "expired" || k === "session-ended" ? "expired" : k === "forced" ? "cached" : "outdated";
}

/**
 * Decides every task in order as `execute()` would, without running anything. A task
 * downstream of one that will run is reported as waiting on it, since early cutoff may
 * still keep it cached.
 */
export async function planStatus(pipeline: Pipeline, order: readonly Task<unknown>[], forced: ReadonlySet<string>): Promise<TaskStatus[]> {
  const metas = new Map<string, ResultMeta | undefined>();
  const willRun = new Set<string>();
  const out: TaskStatus[] = [];
  const now = pipeline.now();
  for (const task of order) {
    let meta: ResultMeta | undefined;
    let chosen: TaskDecision;
    let branches: BranchStatus | undefined;
    try {
      meta = await pipeline.store.getMeta(task.name);
      metas.set(task.name, meta);
      const upstreamDigest = (dep: string) => metas.get(dep)?.digest;
      const decided = await decideTask({ task, meta, cwd: pipeline.cwd, upstreamDigest, now, forced: forced.has(task.name) });
      chosen = decided.decision;
      const pending = task.dependencies.filter((d) => willRun.has(d));
      if (pending.length > 0 && (!chosen.run || chosen.reason.kind === "upstream-changed")) {
        chosen = decision({ kind: "upstream-pending", tasks: pending });
      }
      if (task.map && chosen.run) {
        const upstreamWillRun = task.map.kind === "task" && willRun.has(task.map.task);
        branches = await planBranches(pipeline, task, decided.components, meta, upstreamWillRun, forced.has(task.name));
        // The branch line is part of the reason, so every view of the status shows it.
        if (branches) chosen = { ...chosen, text: `${chosen.text}; ${branches.text}` };
      }
    } catch (error) {
      chosen = decision({ kind: "undecidable", detail: errorMessage(error) });
    }
    if (chosen.run) willRun.add(task.name);
    let mapNote: string | undefined;
    if (task.map?.kind === "files") {
      const files = branches?.total ?? (await fileItems(task, task.map.patterns, pipeline.cwd).then((items) => items.length).catch(() => undefined));
      if (files === 0) mapNote = noFilesNote(task.map.patterns, pipeline.cwd);
    }
    let codeNote: string | undefined;
    try {
      codeNote = task.codeFingerprint().note;
    } catch {
      codeNote = undefined;
    }
    out.push({
      task: task.name,
      decision: chosen,
      meta,
      state: stateOf(chosen, meta),
      ...(codeNote === undefined ? {} : { codeNote }),
      ...(branches === undefined ? {} : { branches }),
      ...(mapNote === undefined ? {} : { mapNote }),
    });
  }
  return out;
}
