import type { RunEvent } from "../contracts/logger.js";
import type { ResultMeta } from "../contracts/store.js";
import type { TaskRecord } from "../contracts/summary.js";
import type { Task } from "../task/task.js";

/**
 * Where a task is in its run, one step at a time:
 * - `waiting`: for its dependencies, or for a concurrency slot;
 * - `running`: deciding freshness and running its attempts;
 * - `saving`: its result is serialized and held in memory, its dependents may start, and
 *   the store is still writing it;
 * - `done`: it has an outcome (executed, cached, skipped, failed, cancelled).
 */
export type TaskPhase = "waiting" | "running" | "saving" | "done";

/** A run event held back, or a log call of the task's (see `held`). */
export type HeldOutput = RunEvent | (() => void);

/** The empty list of every slot that has none: never added to. */
const NONE: never[] = [];

/**
 * One task's state within a run. A class with every field set at construction, rather than
 * a literal given more fields as the run goes: the run keeps one per task until it ends, and
 * fields added later would each cost the slot a separate property array.
 */
export class TaskSlot {
  readonly task: Task<unknown>;
  record: TaskRecord;
  phase: TaskPhase = "waiting";
  /** Dependencies in this run that have not finished yet. */
  waiting = 0;
  /** Slots of its dependencies that take part in the run, in the order of `task.dependencies`. */
  upstream: readonly TaskSlot[] = NONE;
  dependents: readonly TaskSlot[] = NONE;
  /** Digest of the result this run settled on (stored or new). */
  digest: string | undefined = undefined;
  /**
   * In-memory copy of a result executed in this run, so dependents skip a store read. Let
   * go once the save is durable and every dependent in the run has finished, so that memory
   * follows the results in use, not all of them.
   */
  body: Uint8Array | undefined = undefined;
  /**
   * The value the task returned, for a result too big to keep as `task.result`: handed
   * over as it is, without deserializing the body, to the last dependent in the run that
   * reads it, since no other task can see what that one does to it. Let go with the body.
   */
  value: { value: unknown } | undefined = undefined;
  /** Dependents in this run whose attempts have not finished yet. */
  readers = 0;
  /** The result is durably stored. */
  saved = false;
  /** Metadata of the result this run produced, saved with it; let go with the body. */
  meta: ResultMeta | undefined = undefined;
  /**
   * Whether the result this task settled on is in the store: its own save and those of the
   * in-run results it was computed from; false when any of them could not be stored, and
   * undefined while that is not known yet (see `onStored`).
   */
  storedNow: boolean | undefined = true;
  /** Told once `storedNow` is known (see persist.ts). */
  onStored: (() => void)[] | undefined = undefined;
  /**
   * Set when the task failed, or was skipped or failed because something upstream did:
   * the names of the tasks whose own failure is behind it. Dependents cannot use it.
   */
  failedRoots: string[] | undefined = undefined;
  /** Position in completion order, for the critical path. */
  finishOrder = 0;
  /**
   * Output (run events and the task's own log lines) held back until every dependency has
   * reported done, so that a task's lines never appear before its upstreams' `DONE`.
   * Empty, it may be a list shared by many slots: output-order.ts alone adds to it.
   */
  held: HeldOutput[] = NONE;

  constructor(task: Task<unknown>) {
    this.task = task;
    this.record = { name: task.name, state: "cancelled", durationMs: 0, attempts: 0, processes: [] };
  }
}

/** A slot for every selected task (every task when `selected` is undefined), linked to the in-run dependencies it waits for. */
export function makeSlots(order: readonly Task<unknown>[], selected: ReadonlySet<string> | undefined): Map<string, TaskSlot> {
  const slots = new Map<string, TaskSlot>();
  const list: TaskSlot[] = [];
  for (let i = 0; i < order.length; i++) {
    const task = order[i]!;
    if (selected && !selected.has(task.name)) continue;
    const slot = new TaskSlot(task);
    slots.set(task.name, slot);
    list.push(slot);
  }
  // Kept for the whole run, so made to their length: an array pushed to from empty reserves room for 17.
  const found: TaskSlot[] = [];
  for (const slot of list) {
    const deps = slot.task.dependencies;
    for (let i = 0; i < deps.length; i++) {
      const up = slots.get(deps[i]!);
      if (up) found.push(up);
    }
    if (found.length === 0) continue;
    slot.upstream = found.slice();
    slot.waiting = found.length;
    for (const up of found) {
      up.readers++;
      if (up.dependents === NONE) up.dependents = [slot];
      else (up.dependents as TaskSlot[]).push(slot);
    }
    found.length = 0;
  }
  for (const slot of list) if (slot.dependents.length > 1) slot.dependents = slot.dependents.slice();
  return slots;
}

/**
 * Drops the in-memory copy of a result nobody in the run will read from memory again, and
 * the metadata it was saved with: a long run keeps neither for every task it has done.
 */
export function letGo(slot: TaskSlot): void {
  if (slot.saved && slot.readers <= 0) {
    slot.body = undefined;
    slot.value = undefined;
    slot.meta = undefined;
  }
}
