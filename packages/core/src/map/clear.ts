import type { ResultStore } from "../contracts/store.js";
import type { Pipeline } from "../pipeline.js";
import type { Task } from "../task/task.js";
import { isBranchOf } from "./branch-key.js";
import { locateBranch } from "./branch-result.js";

/**
 * Removes a task's stored result and, for a mapped task, every stored branch of it, so
 * that the next run computes the task again from scratch. The combined result goes first:
 * stopped half-way, the task still runs next time, and reuses only branches left intact.
 * @returns the keys removed: the task's name when it was stored, then its branches' keys
 */
export async function clearTaskResults(store: ResultStore, task: string): Promise<string[]> {
  const removed: string[] = [];
  if (await store.delete(task)) removed.push(task);
  for (const m of await store.list()) {
    if (isBranchOf(m, task) && (await store.delete(m.key))) removed.push(m.key);
  }
  return removed;
}

/**
 * Removes one stored branch of a mapped task (`Clean[3]`) and the task's combined result,
 * so that the next run runs that branch again and reuses the others. A branch is stored
 * once for equal elements, so their branches run again too.
 * @param nameOrTask - a mapped task of the pipeline
 * @param index - position in the upstream's list, or in the sorted file list
 * @returns the keys removed: none when that branch is not stored
 * @throws NoSuchBranchError (`LP_NO_SUCH_BRANCH`) when the task is not mapped, the index is
 *   out of range or what the task maps over has no stored result
 * @throws UnknownTaskError when the pipeline has no such task
 * @example await clearBranch(pipeline, "Clean", 3);
 */
export async function clearBranch(pipeline: Pipeline, nameOrTask: string | Task<unknown>, index: number): Promise<string[]> {
  const { task, keys } = await locateBranch(pipeline, nameOrTask, index);
  const stored: string[] = [];
  for (const key of keys) if (await pipeline.store.has(key)) stored.push(key);
  if (stored.length === 0) return [];
  const removed: string[] = [];
  if (await pipeline.store.delete(task.name)) removed.push(task.name);
  for (const key of stored) if (await pipeline.store.delete(key)) removed.push(key);
  return removed;
}
