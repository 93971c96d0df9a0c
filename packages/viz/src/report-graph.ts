import { formatDuration } from "@lp/core/internal";
import { clip, esc, stateClass } from "./html.js";
import { edgesOf } from "./model.js";
import { layoutGraph } from "./report-layout.js";
import type { ReportData, ReportTask } from "./report-data.js";

const NODE_H = 44;
const ROW = 60;
const COL_GAP = 72;
const PAD = 16;

/** Approximate width of one character of the bold 13px label font. */
const CHAR_W = 8.5;

function nodeTitle(task: ReportTask): string {
  const why = task.record?.decision?.text ?? task.status?.decision.text;
  return `${task.name}: ${task.state ?? "not in this run"}${why ? ` (${why})` : ""}`;
}

function nodeSub(task: ReportTask): string {
  const state = task.state ?? "not in this run";
  const r = task.record;
  return r && (r.state === "executed" || r.state === "failed") ? `${state} · ${formatDuration(r.durationMs)}` : state;
}

/** The task graph as inline SVG: boxes coloured by state, the critical path drawn bold and red. */
export function graphSvg(data: ReportData): string {
  const { model, tasks } = data;
  if (model.order.length === 0) return `<p class="empty">The pipeline has no tasks.</p>`;
  const g = layoutGraph(model);
  const { row, tallest } = g;
  const longest = Math.max(...model.order.map((n) => [...n].length));
  const nodeW = Math.round(Math.min(280, Math.max(120, longest * CHAR_W + 28)));
  const maxChars = Math.floor((nodeW - 20) / CHAR_W);
  const pos = new Map<string, { x: number; y: number }>();
  g.columns.forEach((col, c) => col.forEach((name) => pos.set(name, { x: PAD + c * (nodeW + COL_GAP), y: PAD + row.get(name)! * ROW })));
  const width = PAD * 2 + g.columns.length * nodeW + (g.columns.length - 1) * COL_GAP;
  const height = PAD * 2 + (tallest - 1) * ROW + NODE_H;
  const path = data.summary.criticalPath ?? [];
  const criticalEdges = new Set(path.slice(1).map((to, i) => `${path[i]}\u0000${to}`));
  /** A horizontal S-curve from one point to the next. */
  const curve = (x1: number, y1: number, x2: number, y2: number) => {
    const bend = Math.max(16, (x2 - x1) / 2);
    return ` C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}`;
  };

  const edges = edgesOf(model).map(([from, to]) => {
    const key = `${from}\u0000${to}`;
    const a = pos.get(from)!;
    const b = pos.get(to)!;
    let x = a.x + nodeW;
    let y = a.y + NODE_H / 2;
    let d = `M${x} ${y}`;
    // Through each waypoint's slot: curve in, straight across the column, then on.
    for (const point of g.waypoints.get(key) ?? []) {
      const p = pos.get(point)!;
      d += `${curve(x, y, p.x, p.y + NODE_H / 2)} H${p.x + nodeW}`;
      x = p.x + nodeW;
      y = p.y + NODE_H / 2;
    }
    d += curve(x, y, b.x - 4, b.y + NODE_H / 2);
    const critical = criticalEdges.has(key);
    return `<path class="edge${critical ? " critical" : ""}" data-from="${esc(from)}" data-to="${esc(to)}" d="${d}" marker-end="url(#lp-arrow${critical ? "-critical" : ""})"/>`;
  });

  const nodes = model.order.map((name) => {
    const task = tasks.get(name)!;
    const { x, y } = pos.get(name)!;
    const state = task.state ?? "none";
    const cls = `node ${stateClass(state)}${task.critical ? " critical" : ""}`;
    return [
      `<g class="${cls}" data-task="${esc(name)}" data-state="${esc(state)}" transform="translate(${x} ${y})" tabindex="0">`,
      `<title>${esc(nodeTitle(task))}</title>`,
      `<rect width="${nodeW}" height="${NODE_H}" rx="8"/>`,
      `<text class="name" x="12" y="19">${esc(clip(name, maxChars))}</text>`,
      `<text class="sub" x="12" y="35">${esc(nodeSub(task))}</text>`,
      "</g>",
    ].join("");
  });

  return [
    `<svg class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Task graph">`,
    "<defs>",
    `<marker id="lp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" class="arrow"/></marker>`,
    `<marker id="lp-arrow-critical" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L10 5L0 10z" class="arrow critical"/></marker>`,
    "</defs>",
    `<g class="edges">${edges.join("")}</g>`,
    `<g class="nodes">${nodes.join("")}</g>`,
    "</svg>",
  ].join("\n");
}
