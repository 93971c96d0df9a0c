import type { AttemptResult } from "../contracts/executor.js";
import type { RunEvent } from "../contracts/logger.js";
import type { TaskRecord } from "../contracts/summary.js";
import { isRetryable } from "../errors.js";
import { isPromiseLike } from "../executor/attempt.js";
import type { TaskDecision } from "../freshness/reason.js";
import type { Task } from "../task/task.js";
import { AbandonedWork, sleep } from "./invoke.js";

/** Delay before attempt `attempt + 1`, by the task's retry policy (exponential, capped). */
export function retryDelay(task: Task<unknown>, attempt: number): number {
  return Math.min(task.retries.delayMs * task.retries.factor ** (attempt - 1), task.retries.maxDelayMs);
}

/** The attempts the retry policy drives: a task's own, or one branch's of a mapped task. */
export interface Attempts<T> {
  readonly signal: AbortSignal;
  /** Starts attempt number `attempt` (1 first); `abandoned` collects attempts left running after a timeout. */
  attempt(attempt: number, abandoned: AbandonedWork): T | Promise<T>;
  /** Told, before the wait, that attempt `attempt` failed with `error` and attempt `attempt + 1` follows in `delayMs`. */
  retrying(attempt: number, delayMs: number, error: unknown): void;
}

/**
 * Runs attempts until one succeeds, the error says it would recur (by its class, see
 * `isRetryable`), the task's `retries` are spent or the run is stopped. Gives the
 * successful attempt's outcome, at once when the first one was done at once; rejects with
 * the last error. Before a retry, an attempt left running by a timeout is given a grace
 * period to settle, so attempts do not overlap.
 */
export function withRetries<T>(task: Task<unknown>, attempts: Attempts<T>): T | Promise<T> {
  const abandoned = new AbandonedWork();
  // The first attempt, which is usually the only one, costs no promise of its own here.
  let first: T | Promise<T>;
  try {
    first = attempts.attempt(1, abandoned);
  } catch (error) {
    return retry(task, attempts, abandoned, error);
  }
  if (!isPromiseLike(first)) return first;
  return Promise.resolve(first).then(undefined, (error: unknown) => retry(task, attempts, abandoned, error));
}

async function retry<T>(task: Task<unknown>, attempts: Attempts<T>, abandoned: AbandonedWork, error: unknown): Promise<T> {
  const { signal } = attempts;
  for (let attempt = 1; ; attempt++) {
    if (!isRetryable(error) || signal.aborted || attempt > task.retries.count) throw error;
    const delayMs = retryDelay(task, attempt);
    attempts.retrying(attempt, delayMs, error);
    // An attempt that timed out may still be running: give it a grace period (1 s or five
    // timeouts, whichever is longer) to settle, so attempts do not overlap.
    await Promise.race([abandoned.settled(), sleep(Math.max(1000, 5 * (task.timeout ?? 0)), signal)]);
    await sleep(delayMs, signal);
    if (signal.aborted) throw error;
    try {
      return await attempts.attempt(attempt + 1, abandoned);
    } catch (next) {
      error = next;
    }
  }
}

/** What a task's own attempts need from the run. */
export interface AttemptsEnv {
  signal: AbortSignal;
  now(): number;
  emit(event: RunEvent): void;
  /** Runs one attempt (see `runAttempt`); `abandoned` collects attempts left running after a timeout. */
  attempt(attempt: number, abandoned: AbandonedWork): AttemptResult | Promise<AttemptResult>;
}

/**
 * Runs a task's attempts under its retry policy ({@link withRetries}), recording each
 * attempt and telling the run of each start and retry.
 */
export function attemptWithRetries(task: Task<unknown>, record: TaskRecord, chosen: TaskDecision, env: AttemptsEnv): AttemptResult | Promise<AttemptResult> {
  return withRetries(task, new TaskAttempts(task, record, chosen, env));
}

/** A task's own attempts: each counted in its record and announced as `task:start`, each retry as `task:retry`. */
class TaskAttempts implements Attempts<AttemptResult> {
  readonly #task: Task<unknown>;
  readonly #record: TaskRecord;
  readonly #chosen: TaskDecision;
  readonly #env: AttemptsEnv;

  constructor(task: Task<unknown>, record: TaskRecord, chosen: TaskDecision, env: AttemptsEnv) {
    this.#task = task;
    this.#record = record;
    this.#chosen = chosen;
    this.#env = env;
  }

  get signal(): AbortSignal {
    return this.#env.signal;
  }

  attempt(attempt: number, abandoned: AbandonedWork): AttemptResult | Promise<AttemptResult> {
    const env = this.#env;
    this.#record.attempts = attempt;
    env.emit({ type: "task:start", task: this.#task.name, attempt, decision: this.#chosen, at: env.now() });
    return env.attempt(attempt, abandoned);
  }

  retrying(attempt: number, delayMs: number, error: unknown): void {
    const env = this.#env;
    env.emit({ type: "task:retry", task: this.#task.name, attempt, delayMs, error, at: env.now() });
  }
}
