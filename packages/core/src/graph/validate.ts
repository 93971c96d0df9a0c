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

/**
 * Kahn's algorithm; ties keep the order tasks were added in. A task that depends on an
 * unknown task or sits on a cycle is left out, so the order is complete exactly when the
 * dependencies are all known and acyclic.
 */
export function topologicalOrder(tasks: ReadonlyMap<string, Task<unknown>>): Task<unknown>[] {
  // By position rather than by name: one map lookup per dependency instead of several.
  const list = [...tasks.values()];
  const position = new Map<string, number>();
  for (let i = 0; i < list.length; i++) position.set(list[i]!.name, i);
  const indegree = new Int32Array(list.length);
  const dependents: (number[] | undefined)[] = new Array(list.length);
  const queue: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const deps = list[i]!.dependencies;
    indegree[i] = deps.length;
    if (deps.length === 0) queue.push(i);
    for (const dep of deps) {
      const at = position.get(dep);
      if (at === undefined) continue;
      const known = dependents[at];
      if (known) known.push(i);
      else dependents[at] = [i];
    }
  }
  for (let k = 0; k < queue.length; k++) {
    const next = dependents[queue[k]!];
    if (next) for (const d of next) if (--indegree[d]! === 0) queue.push(d);
  }
  return queue.map((i) => list[i]!);
}
