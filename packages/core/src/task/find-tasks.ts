import { Task } from "./task.js";

/**
 * The tasks a module exports, for `pipeline.add(...findTasks(exports))`: the seed's
 * `find_tasks(globals())`. Looks at each exported value and into exported arrays;
 * each task is listed once, in export order.
 *
 * @param namespaces - module namespaces (`import * as tasks from "./tasks.js"`) or plain objects
 * @example
 * import * as tasks from "./tasks.js";
 * const pipeline = new Pipeline("Daily").add(findTasks(tasks));
 */
export function findTasks(...namespaces: readonly unknown[]): Task<unknown>[] {
  const found = new Set<Task<unknown>>();
  const visit = (value: unknown) => {
    if (value instanceof Task) found.add(value);
    else if (Array.isArray(value)) for (const v of value) if (v instanceof Task) found.add(v);
  };
  for (const ns of namespaces) {
    if (typeof ns !== "object" || ns === null) continue;
    for (const key of Object.keys(ns)) visit((ns as Record<string, unknown>)[key]);
  }
  return [...found];
}
