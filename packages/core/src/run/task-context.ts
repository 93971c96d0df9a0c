import { AsyncLocalStorage } from "node:async_hooks";

/** What the code of a task carries with it, into every timer and promise it starts. */
export interface TaskContext {
  task: string;
  /** The run the task belongs to: told of errors the attempt can no longer take. */
  run?: EscapeSink | undefined;
  /** Fails the attempt still running with an escaped error; false once it has settled. */
  attempt?: ((error: unknown) => boolean) | undefined;
}

/** Receives errors that escaped (thrown in a timer, a rejection nobody handled). */
export interface EscapeSink {
  escaped(error: unknown, task: string | undefined): void;
}

const current = new AsyncLocalStorage<TaskContext>();

/** Runs `fn` as the code of a task: whatever it starts (timers, promises) carries the context. */
export function runAsTask<T>(context: TaskContext, fn: () => T): T {
  return current.run(context, fn);
}

/**
 * Forgets every task's context until the next `runAsTask`. While a context is in use Node
 * tracks it through every promise the process makes, which slows all code down; once no run
 * contains escaped errors any more nobody asks for it.
 */
export function dropTaskContexts(): void {
  current.disable();
}

/** The context of the task whose code is running in this asynchronous context, if any. */
export function currentContext(): TaskContext | undefined {
  return current.getStore();
}

/**
 * The task whose code is running in this asynchronous context, if any: lets an error that
 * escapes a task (thrown in a timer, a rejection nobody handles) be reported against it.
 */
export function currentTask(): string | undefined {
  return current.getStore()?.task;
}
