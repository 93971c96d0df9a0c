import type { ResultMeta } from "../contracts/store.js";
import { NoSuchBranchError } from "../errors.js";
import { computeComponents } from "../fingerprint/components.js";
import type { Pipeline } from "../pipeline.js";
import { readStored } from "../run/read.js";
import type { Task } from "../task/task.js";
import { branchBase, branchComponents, branchIdentity } from "./branch-key.js";
import { itemsFor } from "./plan.js";
import { branchLabel } from "./source.js";

/** One stored branch of a mapped task, as `getBranchResult` gives it. */
export interface BranchResult {
  /** `Clean[3]`. */
  label: string;
  index: number;
  /** Items the task maps over now. */
  total: number;
  /** The element (or the file's absolute path) the branch ran with. */
  item: unknown;
  value: unknown;
  meta: ResultMeta;
}

/**
 * The stored result of one branch of a mapped task: the branch for element `index` of
 * what the task maps over now (its upstream's stored list, or its files). Looked up under
 * the task's fingerprint as it is now, then as it was at its last stored run, so a
 * branch stays visible after a code change until the task runs again.
 * @param nameOrTask - a mapped task of the pipeline
 * @param index - position in the upstream's list, or in the sorted file list
 * @throws NoSuchBranchError (`LP_NO_SUCH_BRANCH`) when the task is not mapped, the index is
 *   out of range (the message gives the range) or that branch is not stored
 * @throws UnknownTaskError when the pipeline has no such task
 * @example const { value } = await getBranchResult(pipeline, "Clean", 3);
 */
export async function getBranchResult(pipeline: Pipeline, nameOrTask: string | Task<unknown>, index: number): Promise<BranchResult> {
  const { task, label, total, item, keys } = await locateBranch(pipeline, nameOrTask, index);
  for (const key of keys) {
    const found = await pipeline.store.get(key);
    if (found) return { label, index, total, item, value: readStored(pipeline, task.name, found.body, found.meta.serializer), meta: found.meta };
  }
  const name = task.name;
  throw new NoSuchBranchError(name, index, `Task "${name}": ${label} is not stored (its item is new or changed since "${name}" last ran, or the branch failed). Run the pipeline, then look again.`);
}

/** Where one branch of a mapped task may be stored, as {@link getBranchResult} looks it up. */
export interface BranchLocation {
  task: Task<unknown>;
  label: string;
  total: number;
  item: unknown;
  /** Its key under the task's fingerprint as it is now, then as at its last stored run. */
  keys: string[];
}

/**
 * The store keys branch `index` of a mapped task may have, for reading or clearing it.
 * @throws NoSuchBranchError when the task is not mapped, what it maps over is not stored or
 *   the index is out of range
 * @throws UnknownTaskError when the pipeline has no such task
 */
export async function locateBranch(pipeline: Pipeline, nameOrTask: string | Task<unknown>, index: number): Promise<BranchLocation> {
  const task = pipeline.getTask(typeof nameOrTask === "string" ? nameOrTask : nameOrTask.name);
  const name = task.name;
  const label = branchLabel(name, index);
  if (!task.map) throw new NoSuchBranchError(name, index, `Task "${name}" is not mapped, so it has no branches. Ask for its result instead.`);
  const items = await itemsFor(pipeline, task);
  if (!items) {
    const upstream = task.map.kind === "task" ? task.map.task : name;
    throw new NoSuchBranchError(name, index, `Task "${name}" has no branches yet: "${upstream}", which it is mapped over, has no stored result. Run the pipeline first.`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= items.length) {
    const range = items.length === 0 ? "it maps over nothing" : `from ${name}[0] to ${name}[${items.length - 1}]`;
    throw new NoSuchBranchError(name, index, `Task "${name}" has ${items.length} branch${items.length === 1 ? "" : "es"} (${range}); there is no ${label}.`);
  }
  const item = items[index]!;
  const stored = await pipeline.store.getMeta(name);
  const upstreamDigest = (dep: string) => pipeline.store.getMeta(dep).then((m) => m?.digest);
  const keys: string[] = [];
  for (const whole of [await computeComponents(task, pipeline.cwd, upstreamDigest), stored?.components]) {
    if (!whole) continue;
    const { key } = branchIdentity(task, branchComponents(branchBase(task, whole, items), item));
    if (!keys.includes(key)) keys.push(key);
  }
  return { task, label, total: items.length, item: item.item, keys };
}
