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
