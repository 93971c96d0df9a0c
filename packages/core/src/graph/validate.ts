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
  // By position rather than by name, each task's dependents in one flat array (sliced by
  // `first`) rather than an array per task: one map lookup per dependency, few objects.
  const list = [...tasks.values()];
  const n = list.length;
  const position = new Map<string, number>();
  let edges = 0;
  for (let i = 0; i < n; i++) {
    position.set(list[i]!.name, i);
    edges += list[i]!.dependencies.length;
  }
  // Each dependency's position (-1: unknown), in the order of the tasks and their dependencies.
  const depAt = new Int32Array(edges);
  // The dependents of the task at j are dependents[first[j]] up to dependents[first[j + 1]].
  const first = new Int32Array(n + 1);
  const indegree = new Int32Array(n);
  for (let i = 0, e = 0; i < n; i++) {
    const deps = list[i]!.dependencies;
    indegree[i] = deps.length;
    for (let k = 0; k < deps.length; k++) {
      const at = position.get(deps[k]!) ?? -1;
      depAt[e++] = at;
      if (at >= 0) first[at + 1]!++;
    }
  }
  for (let j = 0; j < n; j++) first[j + 1]! += first[j]!;
  const dependents = new Int32Array(first[n]!);
  const next = first.slice(0, n);
  for (let i = 0, e = 0; i < n; i++) {
    for (let k = list[i]!.dependencies.length; k > 0; k--) {
      const at = depAt[e++]!;
      if (at >= 0) dependents[next[at]!++] = i;
    }
  }
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const j = queue[head]!;
    for (let d = first[j]!; d < first[j + 1]!; d++) if (--indegree[dependents[d]!]! === 0) queue[tail++] = dependents[d]!;
  }
  const order = new Array<Task<unknown>>(tail);
  for (let k = 0; k < tail; k++) order[k] = list[queue[k]!]!;
  return order;
}
