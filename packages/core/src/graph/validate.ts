import { CycleError, type LpError, MissingDependencyError, MissingRunError } from "../errors.js";
import type { Task } from "../task/task.js";
import { closestName } from "./suggest.js";

/** Finds one cycle among the tasks (iterative DFS, safe for long chains), as a closed path. */
export function findCycle(tasks: ReadonlyMap<string, Task<unknown>>): string[] | undefined {
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  for (const start of tasks.keys()) {
    if (state.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = tasks.get(top.name)?.dependencies ?? [];
      if (top.next >= deps.length) {
        state.set(top.name, 2);
        stack.pop();
        continue;
      }
      const dep = deps[top.next++]!;
      if (!tasks.has(dep)) continue;
      const s = state.get(dep);
      if (s === 1) {
        const from = stack.findIndex((f) => f.name === dep);
        // Stack order is dependent -> dependency; print it as the run order.
        return [...stack.slice(from).map((f) => f.name), dep].reverse();
      }
      if (s === undefined) {
        state.set(dep, 1);
        stack.push({ name: dep, next: 0 });
      }
    }
  }
  return undefined;
}

/** Every problem with a set of tasks, all at once. */
export function findProblems(tasks: ReadonlyMap<string, Task<unknown>>, duplicates: readonly LpError[]): LpError[] {
  const problems: LpError[] = [...duplicates];
  for (const task of tasks.values()) {
    if (!task.hasRun) problems.push(new MissingRunError(task.name));
    for (const dep of task.dependencies) {
      if (!tasks.has(dep)) problems.push(new MissingDependencyError(task.name, dep, closestName(dep, tasks.keys())));
    }
  }
  const cycle = findCycle(tasks);
  if (cycle) problems.push(new CycleError(cycle));
  return problems;
}

/** Kahn's algorithm; ties keep the order tasks were added in. Assumes a valid graph. */
export function topologicalOrder(tasks: ReadonlyMap<string, Task<unknown>>): Task<unknown>[] {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const task of tasks.values()) {
    indegree.set(task.name, task.dependencies.length);
    for (const dep of task.dependencies) {
      const list = dependents.get(dep);
      if (list) list.push(task.name);
      else dependents.set(dep, [task.name]);
    }
  }
  const order: Task<unknown>[] = [];
  const queue = [...tasks.values()].filter((t) => t.dependencies.length === 0);
  for (let i = 0; i < queue.length; i++) {
    const task = queue[i]!;
    order.push(task);
    for (const d of dependents.get(task.name) ?? []) {
      const left = indegree.get(d)! - 1;
      indegree.set(d, left);
      if (left === 0) queue.push(tasks.get(d)!);
    }
  }
  return order;
}
