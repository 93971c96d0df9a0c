import type { TaskSlot } from "./slot.js";

/**
 * The chain of executed tasks that decided the run's length: the last to finish, then
 * repeatedly the executed dependency that finished last. Uses completion order, not
 * clock times, so that ties within a millisecond cannot mislead it.
 */
export function criticalPath(slots: ReadonlyMap<string, TaskSlot>): string[] {
  const executed = (s: TaskSlot | undefined): s is TaskSlot => !!s && s.record.state === "executed";
  const latest = (xs: TaskSlot[]) => xs.reduce<TaskSlot | undefined>((best, s) => (!best || s.finishOrder > best.finishOrder ? s : best), undefined);
  let current = latest([...slots.values()].filter(executed));
  const path: string[] = [];
  while (current) {
    path.unshift(current.task.name);
    current = latest(current.task.dependencies.map((d) => slots.get(d)).filter(executed));
  }
  return path;
}
