import type { TaskStatus } from "@lp/core";
import type { Colors } from "./colors.js";
import { table } from "./table.js";
import { formatBytes, formatRelative } from "./units.js";

/** A task state in its colour: green when usable, yellow when stale, dim when absent. */
export function paintState(state: TaskStatus["state"], c: Colors): string {
  switch (state) {
    case "cached":
      return c.green(state);
    case "expired":
    case "outdated":
      return c.yellow(state);
    case "not cached":
      return c.dim(state);
  }
}

/** `list-tasks`: each task with its state and, when something is stored, what and since when. */
export function renderTaskList(statuses: readonly TaskStatus[], now: number, c: Colors): string {
  if (statuses.length === 0) return "  (no tasks)";
  return table(
    statuses.map((s) => [
      c.bold(s.task),
      paintState(s.state, c),
      s.meta ? c.dim(`${s.meta.type ?? "result"}, ${formatBytes(s.meta.size)}, stored ${formatRelative(s.meta.createdAt, now)}`) : "",
    ]),
  );
}

/** `status`: what a run would do for each task, and why. */
export function renderStatus(statuses: readonly TaskStatus[], c: Colors): string {
  if (statuses.length === 0) return "  (no tasks)";
  const rows = statuses.map((s) => [c.bold(s.task), s.decision.run ? c.yellow("will run") : c.green("up to date"), s.decision.text]);
  const running = statuses.filter((s) => s.decision.run).length;
  const total = statuses.length;
  // Tasks whose code could not be followed beyond their own source are named, so a stale result is never a surprise.
  // So is a task mapped over globs that match no file: it would run over nothing.
  const notes = statuses.flatMap((s) =>
    [s.codeNote, s.mapNote].filter((n) => n !== undefined).map((n) => `${c.bold(s.task)}: ${c.dim(n)}`),
  );
  const end = running === 0 ? `All ${total} tasks are up to date.` : `${running} of ${total} tasks would run.`;
  return `${table(rows)}\n${notes.length > 0 ? `${notes.join("\n")}\n` : ""}${end}`;
}
