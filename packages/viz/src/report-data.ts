import { InvalidOptionError, type Pipeline, type RunSummary, type TaskRecord, type TaskStatus } from "@lp/core";
import { closestName } from "@lp/core/internal";
import { StateMismatchError } from "./errors.js";
import { type GraphModel, graphModel } from "./model.js";
import { type VizState, vizStates } from "./state.js";

/** Everything the report knows of one task. */
export interface ReportTask {
  name: string;
  /** From the run, else from `statuses`; undefined when neither mentions the task. */
  state: VizState | undefined;
  /** What the run recorded; undefined for tasks the run did not include (`only`). */
  record: TaskRecord | undefined;
  /** What `pipeline.status()` said, when statuses were given. */
  status: TaskStatus | undefined;
  /** On the chain of executed tasks that decided the run's length. */
  critical: boolean;
}

/** A task whose processes ran, with the span of clock time they took. */
export interface Ran {
  task: ReportTask;
  start: number;
  end: number;
}

/** The pipeline, its run and what is derived from both, checked to belong together. */
export interface ReportData {
  pipeline: Pipeline;
  summary: RunSummary;
  model: GraphModel;
  tasks: Map<string, ReportTask>;
  /** Tasks whose processes ran (executed, failed or cancelled after starting), by start time. */
  ran: Ran[];
  /** The run's span on the clock: from its start to the last thing it did. */
  t0: number;
  t1: number;
}

function checkSummary(summary: unknown): RunSummary {
  const s = summary as RunSummary | undefined;
  if (!s || !Array.isArray(s.tasks) || typeof s.startedAt !== "number" || typeof s.finishedAt !== "number" || !s.totals) {
    throw new InvalidOptionError("renderReport()", "summary", "the RunSummary returned by pipeline.execute()", summary);
  }
  return s;
}

function checkStatuses(statuses: unknown): readonly TaskStatus[] {
  if (statuses === undefined) return [];
  if (!Array.isArray(statuses)) throw new InvalidOptionError("renderReport()", "statuses", "the array from pipeline.status()", statuses);
  return statuses as TaskStatus[];
}

/**
 * Joins pipeline, summary and statuses task by task.
 * @throws StateMismatchError when the summary or statuses name a task the pipeline does not have
 */
export function reportData(pipeline: Pipeline, summaryArg: unknown, statusesArg: unknown): ReportData {
  const summary = checkSummary(summaryArg);
  const statusList = checkStatuses(statusesArg);
  const model = graphModel(pipeline);
  const runStates = vizStates(summary);
  const statusStates = vizStates(statusList);
  for (const [source, states] of [["run summary", runStates], ["statuses", statusStates]] as const) {
    for (const name of states.keys()) {
      if (!pipeline.hasTask(name)) throw new StateMismatchError("renderReport()", pipeline.name, name, closestName(name, model.order), source);
    }
  }
  const records = new Map(summary.tasks.map((r) => [r.name, r]));
  const statuses = new Map(statusList.map((s) => [s.task, s]));
  const critical = new Set(summary.criticalPath ?? []);
  const tasks = new Map<string, ReportTask>();
  for (const name of model.order) {
    tasks.set(name, {
      name,
      state: runStates.get(name) ?? statusStates.get(name),
      record: records.get(name),
      status: statuses.get(name),
      critical: critical.has(name),
    });
  }
  const ran: Ran[] = [];
  for (const task of tasks.values()) {
    const r = task.record;
    if (r && r.attempts >= 1 && typeof r.startedAt === "number" && typeof r.finishedAt === "number") {
      // A bar ends when the task let its dependents start, not when its save became durable
      // (saves overlap with the next tasks and hold no concurrency slot).
      const end = Math.min(r.releasedAt ?? r.finishedAt, r.finishedAt);
      ran.push({ task, start: r.startedAt, end: Math.max(end, r.startedAt) });
    }
  }
  ran.sort((a, b) => a.start - b.start);
  const t0 = Math.min(summary.startedAt, ...ran.map((r) => r.start));
  const t1 = Math.max(summary.finishedAt, ...ran.map((r) => r.end));
  return { pipeline, summary, model, tasks, ran, t0, t1 };
}

/** How many tasks ran at once over the run: the times the count changes, and the count from then on. */
export function concurrencySteps(ran: readonly Ran[]): { at: number; running: number }[] {
  const events = ran.flatMap((r) => [
    { at: r.start, delta: 1 },
    { at: r.end, delta: -1 },
  ]);
  // At equal times, ends first: a task starting as another ends is a hand-over, not overlap.
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const steps: { at: number; running: number }[] = [];
  let running = 0;
  for (const e of events) {
    running += e.delta;
    const last = steps[steps.length - 1];
    if (last && last.at === e.at) last.running = running;
    else steps.push({ at: e.at, running });
  }
  return steps;
}
