import { AsyncLocalStorage } from "node:async_hooks";

/** What the code of a task carries with it, into every timer and promise it starts. */
export interface TaskContext {
  task: string;
  /** The run the task belongs to: told of errors the attempt can no longer take. */
  run?: EscapeSink | undefined;
  /** The attempt still running, failed by an escaped error; `escaped` says false once it has settled. */
  attempt?: { escaped(error: unknown): boolean } | undefined;
}

/** Receives errors that escaped (thrown in a timer, a rejection nobody handled). */
export interface EscapeSink {
  escaped(error: unknown, task: string | undefined): void;
}

const current = new AsyncLocalStorage<TaskContext>();

/** Runs `fn` as the code of a task: whatever it starts (timers, promises) carries the context. */
export function runAsTask<A extends unknown[], T>(context: TaskContext, fn: (...args: A) => T, ...args: A): T {
  return current.run(context, fn, ...args);
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
