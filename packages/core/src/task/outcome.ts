import type { TaskState } from "../contracts/summary.js";

/** What a task last did in this process, and the last result value seen for it. */
export interface TaskOutcome {
  state: TaskState | undefined;
  hasValue: boolean;
  value: unknown;
  /** The error of the task's last failure in this process. */
  error?: unknown;
}

// Kept beside the Task, not on it, so that the run can record outcomes without a public setter.
const outcomes = new WeakMap<object, TaskOutcome>();

export function outcomeOf(task: object): TaskOutcome {
  let outcome = outcomes.get(task);
  if (!outcome) {
    outcome = { state: undefined, hasValue: false, value: undefined };
    outcomes.set(task, outcome);
  }
  return outcome;
}

/** Records the state a run left a task in. */
export function recordState(task: object, state: TaskState): void {
  outcomeOf(task).state = state;
}

/** Records a result value this process produced or read for a task. */
export function recordValue(task: object, value: unknown): void {
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
export function keepValue(task: object, value: unknown, bytes: number): void {
  if (bytes <= KEEP_VALUES_UP_TO) recordValue(task, value);
  else forgetValue(task);
}

/** Drops the recorded value: the task produced a new result whose value this process has not seen. */
export function forgetValue(task: object): void {
  const outcome = outcomeOf(task);
  outcome.hasValue = false;
  outcome.value = undefined;
}

/** Records the error a task failed with. */
export function recordError(task: object, error: unknown): void {
  outcomeOf(task).error = error;
}
