import { containEscapes, errorMessage } from "@lp/core/internal";

/** An error that escaped a task: thrown in a timer or callback, or a rejection nobody handled. */
export interface Escaped {
  /** The task whose code it came from, when that can be told. */
  task: string | undefined;
  error: unknown;
}

/**
 * Keeps a task's stray errors and `process.exit()` calls from ending `lp` behind the run's
 * back, also between runs (a task's timer firing after its run ended). Until `release()`:
 * an error escaping a task is recorded instead of killing the process with a raw stack,
 * and reported after the summary; one from a task while its run goes on is that run's
 * (see `pipeline.execute()`), which fails the task. `process.exit()` called from a task's
 * code throws a TaskExitError there; calls from anywhere else exit as usual.
 */
export function contain(): { escaped: Escaped[]; release(): void } {
  const escaped: Escaped[] = [];
  const release = containEscapes({ escaped: (error, task) => escaped.push({ task, error }) });
  return { escaped, release };
}

/** One line for an escaped error, naming its task when known. */
export function describeEscaped({ task, error }: Escaped): string {
  const where = task === undefined ? "an error escaped the run" : `an error escaped task "${task}"`;
  return `lp: ${where} (thrown in a timer or callback, or a promise rejection nobody handled): ${errorMessage(error)}`;
}
