import { TaskExitError } from "../errors.js";
import { type EscapeSink, currentContext, dropTaskContexts } from "./task-context.js";

/**
 * Containment of what a task's code can do to the whole process: an error escaping it (a
 * throw in a timer, a rejection nobody handles) and a call to `process.exit()`. Shared by
 * every holder at once (each running pipeline, the `lp` program): the process handlers
 * are installed while there is at least one holder and removed with the last, so that
 * outside a run Node's own behaviour is back.
 */
const holders = new Set<EscapeSink>();
let realExit: typeof process.exit | undefined;

function onEscaped(error: unknown): void {
  const context = currentContext();
  // The attempt it came from, while still running, fails with it.
  if (context?.attempt?.escaped(error)) return;
  if (context?.run && holders.has(context.run)) return context.run.escaped(error, context.task);
  for (const holder of holders) holder.escaped(error, context?.task);
}

function exitFromTask(code?: number | string | null): never {
  const task = currentContext()?.task;
  if (task === undefined) return realExit!.call(process, code);
  throw new TaskExitError(task, code);
}

/**
 * Sends escaped errors to `sink` until the returned function is called: errors from a
 * task of this holder's run go to it alone, errors from no known run to every holder. A
 * task's `process.exit()` throws a TaskExitError where it is called; anywhere else it
 * exits as usual.
 */
export function containEscapes(sink: EscapeSink): () => void {
  if (holders.size === 0) {
    process.on("uncaughtException", onEscaped);
    process.on("unhandledRejection", onEscaped);
    if (process.exit !== exitFromTask) {
      realExit = process.exit;
      process.exit = exitFromTask as typeof process.exit;
    }
  }
  holders.add(sink);
  return () => {
    if (!holders.delete(sink) || holders.size > 0) return;
    process.off("uncaughtException", onEscaped);
    process.off("unhandledRejection", onEscaped);
    // Put back only our own replacement: someone may have replaced it in turn since.
    if (process.exit === exitFromTask) {
      process.exit = realExit!;
      realExit = undefined;
    }
    dropTaskContexts();
  };
}
