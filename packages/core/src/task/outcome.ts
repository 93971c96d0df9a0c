import type { TaskState } from "../contracts/summary.js";
import { type Task, taskOutcomes } from "./task.js";

/** What a task last did in this process, and the last result value seen for it. */
export interface TaskOutcome {
  state: TaskState | undefined;
  hasValue: boolean;
  value: unknown;
  /** The error of the task's last failure in this process. */
  error?: unknown;
}

/** The task's outcome, made when first asked for (see task.ts: no public setter). */
export function outcomeOf(task: Task<unknown>): TaskOutcome {
  let outcome = taskOutcomes.get(task);
  if (!outcome) {
    outcome = { state: undefined, hasValue: false, value: undefined };
    taskOutcomes.set(task, outcome);
  }
  return outcome;
}

/** Records the state a run left a task in. */
export function recordState(task: Task<unknown>, state: TaskState): void {
  outcomeOf(task).state = state;
}

/** Records a result value this process produced or read for a task. */
export function recordValue(task: Task<unknown>, value: unknown): void {
  const outcome = outcomeOf(task);
  outcome.hasValue = true;
  outcome.value = value;
}

/**
 * Results up to this size (serialized) stay available as `task.result` after a run; a
 * bigger one is not held, so that a run's memory follows the results in use rather than
 * all of them. `getResult()` reads it from the store.
 */
export const KEEP_VALUES_UP_TO = 8 * 1024 * 1024;

/** Records a value when its serialized size allows it (see {@link KEEP_VALUES_UP_TO}), else forgets the last one. */
export function keepValue(task: Task<unknown>, value: unknown, bytes: number): void {
  if (bytes <= KEEP_VALUES_UP_TO) recordValue(task, value);
  else forgetValue(task);
}

/** Drops the recorded value: the task produced a new result whose value this process has not seen. */
export function forgetValue(task: Task<unknown>): void {
  const outcome = outcomeOf(task);
  outcome.hasValue = false;
  outcome.value = undefined;
}

/** Records the error a task failed with. */
export function recordError(task: Task<unknown>, error: unknown): void {
  outcomeOf(task).error = error;
}
