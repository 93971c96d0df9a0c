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

/** What the retry policy needs from the run. */
export interface AttemptsEnv {
  signal: AbortSignal;
  now(): number;
  emit(event: RunEvent): void;
  /** Runs one attempt (see `runAttempt`); `abandoned` collects attempts left running after a timeout. */
  attempt(attempt: number, abandoned: AbandonedWork): AttemptResult | Promise<AttemptResult>;
}

/**
 * Runs a task's attempts until one succeeds, the error says it would recur (by its class,
 * see `isRetryable`), the task's `retries` are spent or the run is stopped. Gives the
 * successful attempt, at once when the first one was done at once; rejects with the last
 * error.
 */
export function attemptWithRetries(task: Task<unknown>, record: TaskRecord, chosen: TaskDecision, env: AttemptsEnv): AttemptResult | Promise<AttemptResult> {
  const abandoned = new AbandonedWork();
  // The first attempt, which is usually the only one, costs no promise of its own here.
  let first: AttemptResult | Promise<AttemptResult>;
  try {
    first = start(task, record, chosen, env, abandoned, 1);
  } catch (error) {
    return retry(task, record, chosen, env, abandoned, error, 1);
  }
  if (!isPromiseLike(first)) return first;
  return Promise.resolve(first).then(undefined, (error: unknown) => retry(task, record, chosen, env, abandoned, error, 1));
}

function start(task: Task<unknown>, record: TaskRecord, chosen: TaskDecision, env: AttemptsEnv, abandoned: AbandonedWork, attempt: number): AttemptResult | Promise<AttemptResult> {
  record.attempts = attempt;
  env.emit({ type: "task:start", task: task.name, attempt, decision: chosen, at: env.now() });
  return env.attempt(attempt, abandoned);
}

async function retry(task: Task<unknown>, record: TaskRecord, chosen: TaskDecision, env: AttemptsEnv, abandoned: AbandonedWork, error: unknown, failed: number): Promise<AttemptResult> {
  for (let attempt = failed; ; attempt++) {
    if (!isRetryable(error) || env.signal.aborted || attempt > task.retries.count) throw error;
    const delayMs = retryDelay(task, attempt);
    env.emit({ type: "task:retry", task: task.name, attempt, delayMs, error, at: env.now() });
    // An attempt that timed out may still be running: give it a grace period (1 s or five
    // timeouts, whichever is longer) to settle, so attempts do not overlap.
    await Promise.race([abandoned.settled(), sleep(Math.max(1000, 5 * (task.timeout ?? 0)), env.signal)]);
    await sleep(delayMs, env.signal);
    if (env.signal.aborted) throw error;
    try {
      return await start(task, record, chosen, env, abandoned, attempt + 1);
    } catch (next) {
      error = next;
    }
  }
}
