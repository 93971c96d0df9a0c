import { AsyncLocalStorage } from "node:async_hooks";

const current = new AsyncLocalStorage<string>();

/** Runs `fn` as the code of task `name`: whatever it starts (timers, promises) carries the name. */
export function runAsTask<T>(name: string, fn: () => T): T {
  return current.run(name, fn);
}

/**
 * The task whose code is running in this asynchronous context, if any: lets an error that
 * escapes a task (thrown in a timer, a rejection nobody handles) be reported against it.
 */
export function currentTask(): string | undefined {
  return current.getStore();
}
