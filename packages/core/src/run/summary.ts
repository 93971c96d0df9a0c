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
  /** Executed, but its result was byte-identical to the one stored before (dependents may stay cached). */
  unchanged?: boolean | undefined;
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

/** What `pipeline.execute()` returns. */
export interface RunSummary {
  pipeline: string;
  runId: string;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  /** No task failed and the run was not interrupted. */
  ok: boolean;
  interrupted: boolean;
  /** In topological order. */
  tasks: TaskRecord[];
  totals: RunTotals;
  /** The chain of executed tasks that determined the run's length. */
  criticalPath: string[];
}

/** Counts states over records. */
export function totalsOf(records: readonly TaskRecord[]): RunTotals {
  const t: RunTotals = { total: records.length, executed: 0, cached: 0, skipped: 0, failed: 0, upstreamFailed: 0, cancelled: 0 };
  for (const r of records) {
    if (r.state === "upstream-failed") t.upstreamFailed++;
    else t[r.state]++;
  }
  return t;
}
