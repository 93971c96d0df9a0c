import type { TaskSlot } from "./slot.js";

/**
 * The chain of executed tasks that decided the run's length: the last to finish, then
 * repeatedly the executed dependency that finished last. Uses completion order, not
 * clock times, so that ties within a millisecond cannot mislead it.
 */
export function criticalPath(slots: ReadonlyMap<string, TaskSlot>): string[] {
  let current = latestExecuted(slots.values());
  const path: string[] = [];
  while (current) {
    path.push(current.task.name);
    current = latestExecuted(current.upstream);
  }
  // Found from the end; a chain of thousands is not shifted along once per task.
  return path.reverse();
}

function latestExecuted(slots: Iterable<TaskSlot>): TaskSlot | undefined {
  let best: TaskSlot | undefined;
  for (const s of slots) if (s.record.state === "executed" && (!best || s.finishOrder > best.finishOrder)) best = s;
  return best;
}
