import { currentTask, errorMessage } from "@lp/core/internal";
import { TaskExitError } from "../errors.js";

/** An error that escaped a task: thrown in a timer or callback, or a rejection nobody handled. */
export interface Escaped {
  /** The task whose code it came from, when that can be told. */
  task: string | undefined;
  error: unknown;
}

/**
 * Keeps a task's stray errors and `process.exit()` calls from ending `lp` behind the run's
 * back. Until `release()`: an error escaping a task is recorded instead of killing the
 * process with a raw stack (the run goes on, finished results are kept, and it is reported
 * after the summary), and `process.exit()` called from a task's code throws a
 * TaskExitError there, failing that task. Calls from anywhere else exit as usual.
 */
export function contain(): { escaped: Escaped[]; release(): void } {
  const escaped: Escaped[] = [];
  const onError = (error: unknown) => escaped.push({ task: currentTask(), error });
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  const exit = process.exit;
  process.exit = ((code?: number | string | null) => {
    const task = currentTask();
    if (task === undefined) return exit.call(process, code);
    throw new TaskExitError(task, code);
  }) as typeof process.exit;
  return {
    escaped,
    release() {
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
      process.exit = exit;
    },
  };
}

/** One line for an escaped error, naming its task when known. */
export function describeEscaped({ task, error }: Escaped): string {
  const where = task === undefined ? "an error escaped the run" : `an error escaped task "${task}"`;
  return `lp: ${where} (thrown in a timer or callback, or a promise rejection nobody handled): ${errorMessage(error)}`;
}
