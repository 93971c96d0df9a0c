import type { TaskDecision } from "../freshness/reason.js";

/** What became of a task in a run. */
export type TaskState = "executed" | "cached" | "skipped" | "failed" | "upstream-failed" | "cancelled";

/** Time spent in one process of a task. */
export interface ProcessTiming {
  name: string;
  calls: number;
  durationMs: number;
}

/** One task's outcome in a run. */
export interface TaskRecord {
  name: string;
  state: TaskState;
  decision?: TaskDecision | undefined;
  /** ms since the epoch; set for tasks that started. */
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  /**
   * When its result was ready and its dependents could start (ms since the epoch). For an
   * executed task this comes before `finishedAt`, which waits for the save to be durable.
   */
  releasedAt?: number | undefined;
  durationMs: number;
  attempts: number;
  processes: ProcessTiming[];
  error?: { name: string; code?: string | undefined; message: string; stack?: string | undefined } | undefined;
  resultType?: string | undefined;
  size?: number | undefined;
  digest?: string | undefined;
  expiresAt?: number | null | undefined;
  /** Where the last attempt ran when not in this process (a remote worker's `host:pid`). */
  ranOn?: string | undefined;
  /** Executed, but its result was byte-identical to the one stored before (dependents may stay cached). */
  unchanged?: boolean | undefined;
  /** For a mapped task that started: what became of its branches. */
  branches?: BranchReport | undefined;
}

/** What became of a mapped task's branches in a run. */
export interface BranchReport {
  /** Items mapped over. */
  total: number;
  /** Items whose branch ran in this run. */
  ran: number;
  /** Items whose stored branch result was used. */
  cached: number;
  /** Items whose branch failed, in item order, with the error message. */
  failed: { index: number; label: string; message: string }[];
  /** The slowest branches that ran, slowest first (at most five). */
  slowest: { index: number; label: string; durationMs: number }[];
}

/** Counts of task states in a run. */
export interface RunTotals {
  total: number;
  executed: number;
  cached: number;
  skipped: number;
  failed: number;
  upstreamFailed: number;
  cancelled: number;
}

/**
 * An error that escaped a task's code (thrown in a timer or callback, or a promise
 * rejection nobody handled) once the task had already finished, or from code the run
 * cannot tell. The run contained it instead of letting it end the process.
 */
export interface EscapedReport {
  /** The task whose code it came from, when that can be told. */
  task?: string | undefined;
  message: string;
}

/** What `pipeline.execute()` returns. */
export interface RunSummary {
  pipeline: string;
  runId: string;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  /** No task failed, no error escaped the tasks' code and the run was not interrupted. */
  ok: boolean;
  interrupted: boolean;
  /** In topological order. */
  tasks: TaskRecord[];
  totals: RunTotals;
  /** The chain of executed tasks that determined the run's length. */
  criticalPath: string[];
  /**
   * Errors that escaped the tasks' code after they had finished (see {@link EscapedReport});
   * one escaping while its task runs fails that task instead. Absent when there were none.
   */
  escaped?: EscapedReport[] | undefined;
}
