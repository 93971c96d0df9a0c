import type { Task, TaskRecord, TaskStatus } from "@lp/core";
import { formatDuration } from "@lp/core/internal";
import type { Colors } from "./colors.js";
import { table } from "./table.js";
import { formatBytes, formatRelative } from "./units.js";
import { moduleDocComment } from "./module-doc.js";
import { paintState } from "./status.js";

/** Everything `info <task>` shows about one task. */
export interface TaskInfo {
  task: Task<unknown>;
  /** Tasks that depend on it. */
  dependents: readonly string[];
  status: TaskStatus | undefined;
  /** Its record in the last run of this process, if it took part. */
  lastRun: TaskRecord | undefined;
  now: number;
}

const list = (names: readonly string[]) => (names.length > 0 ? names.join(", ") : "none");

/** The task's definition, stored result, freshness and last timing, as labelled lines. */
export function renderInfo(info: TaskInfo, c: Colors): string {
  const { task, status, lastRun, now } = info;
  const doc = task.description === undefined ? moduleDocComment(task.definedIn) : undefined;
  const rows: string[][] = [
    ["description", task.description ?? (doc ? `${doc} ${c.dim("(module comment)")}` : c.dim("(none)"))],
    ["dependencies", list(task.dependencies)],
    ["dependents", list(info.dependents)],
    ["expiry", task.expire.label],
    ["input files", task.inputFiles.length > 0 ? task.inputFiles.join(", ") : "none"],
    ["processes", list([...task.processes.keys()])],
  ];
  if (task.retries.count > 0) rows.push(["retries", String(task.retries.count)]);
  if (task.timeout !== undefined) rows.push(["timeout", `${task.timeout} ms`]);
  if (task.version !== undefined) rows.push(["version", task.version]);
  if (status) {
    rows.push(["state", paintState(status.state, c)]);
    rows.push(["next run", `${status.decision.run ? "will run" : "will not run"} (${status.decision.text})`]);
    const m = status.meta;
    if (m) {
      const expires = m.expiresAt === null ? "no time limit" : `${m.expiresAt <= now ? "expired" : "expires"} ${formatRelative(m.expiresAt, now)}`;
      rows.push(["result", `${m.type ?? "result"}, ${formatBytes(m.size)}, stored ${formatRelative(m.createdAt, now)}, ${expires}`]);
    }
  }
  if (lastRun) {
    const steps = lastRun.processes.map((p) => `${p.name} ${formatDuration(p.durationMs)}${p.calls > 1 ? ` (${p.calls} calls)` : ""}`);
    rows.push(["last run", `${lastRun.state} in ${formatDuration(lastRun.durationMs)}${steps.length > 0 ? `: ${steps.join(", ")}` : ""}`]);
  } else {
    rows.push(["last run", c.dim("not run in this session")]);
  }
  return `${c.bold(task.name)}\n${table(rows.map(([k, v]) => [c.dim(k ?? ""), v ?? ""]))}`;
}
