import { type BranchReport, type Pipeline, type ResultMeta, type RunSummary, type TaskStatus, branchOwner, isExpired } from "@lp/core";
import type { VizState } from "@lp/viz";

/**
 * The `--json` documents of `lp`. Each has a `schema` name with a version: fields are only
 * added within a version, never renamed or removed (README, "Machine-readable output").
 */
export const JSON_SCHEMAS = { run: "lp.run/1", status: "lp.status/1", cache: "lp.cache/1", graph: "lp.graph/1" } as const;

const stored = (meta: ResultMeta | undefined) =>
  meta ? { type: meta.type ?? null, size: meta.size, createdAt: meta.createdAt, expiresAt: meta.expiresAt, expiry: meta.expiry } : null;

/** `lp run --json`: the run's outcome, task by task. */
export function runJson(summary: RunSummary, report?: string) {
  return {
    schema: JSON_SCHEMAS.run,
    pipeline: summary.pipeline,
    ok: summary.ok,
    interrupted: summary.interrupted,
    startedAt: summary.startedAt,
    durationMs: summary.durationMs,
    totals: summary.totals,
    criticalPath: summary.criticalPath,
    tasks: summary.tasks.map((t) => ({
      name: t.name,
      state: t.state,
      reason: t.decision?.text ?? null,
      durationMs: t.durationMs,
      attempts: t.attempts,
      resultType: t.resultType ?? null,
      size: t.size ?? null,
      error: t.error ? { name: t.error.name, code: t.error.code ?? null, message: t.error.message } : null,
      // Where the task ran when not in this process: a distributed run's worker.
      ranOn: t.ranOn ?? null,
      branches: t.branches ? branchesJson(t.branches) : null,
    })),
    report: report ?? null,
  };
}

/** A mapped task's branches in `lp run --json`: field by field, so the schema says what is there. */
function branchesJson(b: BranchReport) {
  return {
    total: b.total,
    ran: b.ran,
    cached: b.cached,
    failed: b.failed.map(({ index, label, message }) => ({ index, label, message })),
    slowest: b.slowest.map(({ index, label, durationMs }) => ({ index, label, durationMs })),
  };
}

/** `lp status --json`: what a run would do for each task, and why. */
export function statusJson(pipeline: Pipeline, statuses: readonly TaskStatus[]) {
  return {
    schema: JSON_SCHEMAS.status,
    pipeline: pipeline.name,
    wouldRun: statuses.filter((s) => s.decision.run).map((s) => s.task),
    tasks: statuses.map((s) => ({
      name: s.task,
      willRun: s.decision.run,
      state: s.state,
      reason: { ...s.decision.reason },
      reasonText: s.decision.text,
      codeNote: s.codeNote ?? null,
      mapNote: s.mapNote ?? null,
      stored: stored(s.meta),
    })),
  };
}

/** `lp cache ls --json`: stored results with their state. */
export function cacheJson(pipeline: Pipeline, entries: readonly ResultMeta[], totalBytes: number) {
  const tasks = new Set(pipeline.tasks.map((t) => t.name));
  const now = pipeline.now();
  return {
    schema: JSON_SCHEMAS.cache,
    pipeline: pipeline.name,
    totalBytes,
    entries: [...entries]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((m) => ({ key: m.key, state: !tasks.has(branchOwner(m.key) ?? m.key) ? "orphan" : isExpired(m, now) ? "expired" : "fresh", ...stored(m)! })),
  };
}

/** `lp graph --json`: tasks, their dependencies and their stored state. */
export function graphJson(pipeline: Pipeline, states: ReadonlyMap<string, VizState>) {
  return {
    schema: JSON_SCHEMAS.graph,
    pipeline: pipeline.name,
    tasks: pipeline.tasks.map((t) => ({ name: t.name, dependencies: [...t.dependencies], state: states.get(t.name) ?? null })),
  };
}

/** Writes a JSON document as one line. */
export function printJson(stream: NodeJS.WritableStream, doc: unknown): void {
  stream.write(`${JSON.stringify(doc)}\n`);
}
