import { InvalidOptionError, type Pipeline } from "@lp/core";
import { closestName } from "@lp/core/internal";
import { StateMismatchError } from "./errors.js";
import { VIZ_STATES, type VizState, isVizState } from "./state.js";

/** The task graph as the pictures need it: names in run order and edges both ways. */
export interface GraphModel {
  /** Task names in an order that puts every dependency first. */
  order: readonly string[];
  /** Dependencies of each task, in declaration order. */
  deps: ReadonlyMap<string, readonly string[]>;
  /** Tasks that depend on each task, in run order. */
  dependents: ReadonlyMap<string, readonly string[]>;
}

/** @throws PipelineValidationError when the pipeline is not valid (a cycle, a missing dependency …) */
export function graphModel(pipeline: Pipeline): GraphModel {
  const tasks = pipeline.tasks;
  const order = tasks.map((t) => t.name);
  const deps = new Map<string, readonly string[]>();
  const dependents = new Map<string, string[]>(order.map((name) => [name, []]));
  for (const task of tasks) {
    deps.set(task.name, task.dependencies);
    for (const dep of task.dependencies) dependents.get(dep)!.push(task.name);
  }
  return { order, deps, dependents };
}

/** Every edge as `[dependency, dependent]`, in run order of the dependent. */
export function edgesOf(model: GraphModel): [string, string][] {
  return model.order.flatMap((name) => (model.deps.get(name) ?? []).map((dep): [string, string] => [dep, name]));
}

/** Column of each task: the length of the longest dependency chain leading to it (0 for tasks without dependencies). */
export function layersOf(model: GraphModel): Map<string, number> {
  const layer = new Map<string, number>();
  for (const name of model.order) {
    const deps = model.deps.get(name) ?? [];
    layer.set(name, deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => layer.get(d) ?? 0)));
  }
  return layer;
}

/**
 * Checks states given to a picture, so a map from another pipeline or a misspelt state
 * fails loudly instead of drawing the wrong colours.
 * @throws InvalidOptionError when `states` is not a Map of known states
 * @throws StateMismatchError when it names a task the pipeline does not have
 */
export function checkStates(where: string, pipeline: Pipeline, states: ReadonlyMap<string, VizState> | undefined): ReadonlyMap<string, VizState> {
  if (states === undefined) return new Map();
  if (!(states instanceof Map)) {
    throw new InvalidOptionError(where, "states", "a Map from task name to state, such as vizStates(summary)", states);
  }
  for (const [name, state] of states) {
    if (!pipeline.hasTask(name)) {
      const known = pipeline.tasks.map((t) => t.name);
      throw new StateMismatchError(where, pipeline.name, name, closestName(name, known));
    }
    if (!isVizState(state)) {
      throw new InvalidOptionError(where, `states.get(${JSON.stringify(name)})`, `one of ${VIZ_STATES.map((s) => `"${s}"`).join(", ")}`, state);
    }
  }
  return states;
}

/** Rejects a `direction` other than the two the exports support. */
export function checkDirection(where: string, direction: unknown): "LR" | "TD" {
  if (direction === undefined) return "LR";
  if (direction !== "LR" && direction !== "TD") throw new InvalidOptionError(where, "direction", '"LR" or "TD"', direction);
  return direction;
}
