import type { FingerprintComponents, ResultMeta } from "../contracts/store.js";
import { combineFingerprint, fingerprintText } from "../fingerprint/fingerprint.js";
import { hashText } from "../fingerprint/hash.js";
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
 * Whether a stored entry is a branch of `task`: its key says so and it records an element,
 * so that the result of a task whose own name looks like a branch key (`A[#x]`) is never
 * taken for one of `A`'s branches.
 */
export function isBranchOf(meta: ResultMeta, task: string): boolean {
  return branchOwner(meta.key) === task && meta.components?.inputs?.[ITEM_COMPONENT] !== undefined;
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

/** Stands for the item's digest in a laid-out fingerprint text; NUL occurs in no digest or path. */
const ITEM_SLOT = "\u0000[item digest]\u0000";

/**
 * The branch fingerprints of one task, computed as {@link branchIdentity} does but with the
 * shared text laid out once: a branch costs one digest of its item's digest between a
 * fixed head and tail, and no fingerprint parts are built for branches that do not run.
 */
export class BranchFingerprints {
  /** What every branch shares. */
  readonly base: FingerprintComponents;
  readonly #task: string;
  readonly #head: string;
  readonly #tail: string;

  constructor(task: Task<unknown>, whole: FingerprintComponents, items: readonly BranchItem[]) {
    this.#task = task.name;
    this.base = branchBase(task, whole, items);
    const text = fingerprintText({ ...this.base, inputs: { ...this.base.inputs, [ITEM_COMPONENT]: ITEM_SLOT } });
    const at = text.indexOf(ITEM_SLOT);
    this.#head = text.slice(0, at);
    this.#tail = text.slice(at + ITEM_SLOT.length);
  }

  /** A branch's fingerprint and key; equal to `branchIdentity(task, branchComponents(base, item))`. */
  of(item: BranchItem): { fingerprint: string; key: string } {
    const fingerprint = hashText(this.#head + item.digest + this.#tail);
    return { fingerprint, key: branchKey(this.#task, fingerprint) };
  }

  /**
   * A branch's fingerprint parts, as stored with its result: without the code's parts, which
   * only explain a task's own decision. A branch is decided by its fingerprint alone, and
   * thousands of branches each carrying the parts would weigh on every read of the store's index.
   */
  components(item: BranchItem): FingerprintComponents {
    const { codeParts: _, ...parts } = branchComponents(this.base, item);
    return parts;
  }
}
