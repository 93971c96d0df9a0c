import { edgesOf, type GraphModel, layersOf } from "./model.js";

/** The graph with a waypoint in every column a long edge crosses, so edges can go around boxes. */
interface Layered {
  /** Nodes of each column, top to bottom: task names and waypoints (`\u0000` + edge + column). */
  columns: string[][];
  up: Map<string, string[]>;
  down: Map<string, string[]>;
  /** The waypoints of each edge, keyed `from\u0000to`, left to right. */
  waypoints: Map<string, string[]>;
}

/** Above this many waypoints, long edges are drawn straight across: the layout stays quick for huge graphs. */
const MAX_WAYPOINTS = 4000;

function layered(model: GraphModel, layer: ReadonlyMap<string, number>): Layered {
  const edges = edgesOf(model);
  const span = (from: string, to: string) => layer.get(to)! - layer.get(from)! - 1;
  const route = edges.reduce((sum, [from, to]) => sum + span(from, to), 0) <= MAX_WAYPOINTS;
  const columns: string[][] = [];
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  const waypoints = new Map<string, string[]>();
  const add = (node: string, col: number) => {
    (columns[col] ??= []).push(node);
    up.set(node, []);
    down.set(node, []);
  };
  const link = (a: string, b: string) => {
    down.get(a)!.push(b);
    up.get(b)!.push(a);
  };
  for (const name of model.order) add(name, layer.get(name)!);
  for (const [from, to] of edges) {
    const key = `${from}\u0000${to}`;
    const points: string[] = [];
    for (let col = layer.get(from)! + 1; route && col < layer.get(to)!; col++) {
      const point = `\u0000${key}\u0000${col}`;
      add(point, col);
      points.push(point);
    }
    waypoints.set(key, points);
    const chain = [from, ...points, to];
    for (let i = 1; i < chain.length; i++) link(chain[i - 1]!, chain[i]!);
  }
  return { columns, up, down, waypoints };
}

/**
 * Rows within each column: run order first, then sweeps that sort each column by the mean
 * row of its neighbours (the usual barycentre heuristic), which removes most crossings.
 */
function arrange(g: Layered): Map<string, number> {
  const { columns } = g;
  const tallest = Math.max(...columns.map((c) => c.length));
  const row = new Map<string, number>();
  const place = (col: string[]) => col.forEach((name, i) => row.set(name, i + (tallest - col.length) / 2));
  const sortBy = (col: string[], neighbours: Map<string, string[]>) => {
    const key = new Map(
      col.map((name) => {
        const ns = neighbours.get(name) ?? [];
        return [name, ns.length === 0 ? row.get(name)! : ns.reduce((sum, n) => sum + row.get(n)!, 0) / ns.length];
      }),
    );
    col.sort((a, b) => key.get(a)! - key.get(b)!);
    place(col);
  };
  columns.forEach(place);
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const col of columns.slice(1)) sortBy(col, g.up);
    for (const col of columns.slice(0, -1).reverse()) sortBy(col, g.down);
  }
  for (const col of columns.slice(1)) sortBy(col, g.up);
  return row;
}

/** Where each task and waypoint goes: its column and (fractional, for centring) row. */
export interface Layout {
  columns: string[][];
  row: Map<string, number>;
  /** Waypoints of each edge keyed `from\u0000to`, left to right; look them up in `columns` and `row`. */
  waypoints: Map<string, string[]>;
  /** Rows of the fullest column. */
  tallest: number;
}

/** Lays the graph out in columns by dependency depth (a task sits right of everything it needs), long edges routed between boxes. */
export function layoutGraph(model: GraphModel): Layout {
  const g = layered(model, layersOf(model));
  const row = arrange(g);
  return { columns: g.columns, row, waypoints: g.waypoints, tallest: Math.max(...g.columns.map((c) => c.length)) };
}
