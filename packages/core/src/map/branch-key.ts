import type { FingerprintComponents } from "../contracts/store.js";
import { combineFingerprint } from "../fingerprint/fingerprint.js";
import type { Task } from "../task/task.js";
import type { BranchItem } from "./items.js";

/** The component name under which a branch's fingerprint records its element. */
export const ITEM_COMPONENT = "[item]";

/** Prefix of every stored branch key of a task: `Clean[#`. */
export function branchKeyPrefix(task: string): string {
  return `${task}[#`;
}

/** Whether a store key is a branch of some mapped task; its task's name, or `undefined`. */
export function branchOwner(key: string): string | undefined {
  const at = key.lastIndexOf("[#");
  return at > 0 && key.endsWith("]") ? key.slice(0, at) : undefined;
}

/**
 * What every branch of a task shares: the task's code and version and its other
 * dependencies and input files — not the mapped upstream as a whole nor the mapped files,
 * so one changed element leaves the other branches fresh.
 */
export function branchBase(task: Task<unknown>, whole: FingerprintComponents, items: readonly BranchItem[]): FingerprintComponents {
  const upstream = { ...whole.upstream };
  if (task.map?.kind === "task") delete upstream[task.map.task];
  const inputs = { ...whole.inputs };
  for (const item of items) if (item.file !== undefined) delete inputs[item.file];
  return { code: whole.code, codeParts: whole.codeParts, inputs, upstream, version: whole.version };
}

/** A branch's fingerprint parts: the shared base plus its element's digest. */
export function branchComponents(base: FingerprintComponents, item: BranchItem): FingerprintComponents {
  return { ...base, inputs: { ...base.inputs, [ITEM_COMPONENT]: item.digest } };
}

/** Where a branch is stored: one key per distinct fingerprint, so equal branches share it. */
export function branchKey(task: string, fingerprint: string): string {
  return `${branchKeyPrefix(task)}${fingerprint.slice(0, 32)}]`;
}

/** A branch's fingerprint and key. */
export function branchIdentity(task: Task<unknown>, components: FingerprintComponents): { fingerprint: string; key: string } {
  const fingerprint = combineFingerprint(components);
  return { fingerprint, key: branchKey(task.name, fingerprint) };
}
