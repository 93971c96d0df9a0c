import { formatDuration } from "@lp/core/internal";
import { clip, esc, formatOffset, niceStep, stateClass } from "./html.js";
import { concurrencySteps, type ReportData } from "./report-data.js";

const LABEL_W = 210;
const PLOT_W = 720;
const AXIS_H = 26;
const ROW_H = 24;
const BAR_H = 16;
const LOAD_H = 56;
const GAP = 18;

/**
 * A Gantt chart of the tasks whose processes ran, one bar each from start to finish on
 * the run's clock, critical path highlighted, and below it the number of tasks running
 * at each moment, so idle stretches and serial chains stand out.
 */
export function timelineSvg(data: ReportData): string {
  const { ran, t0, t1 } = data;
  if (ran.length === 0) {
    return `<p class="empty">No task ran in this run: every result came from the cache, or nothing got to start.</p>`;
  }
  const span = Math.max(t1 - t0, 1);
  const x = (t: number) => +(LABEL_W + ((t - t0) / span) * PLOT_W).toFixed(2);
  const rowsH = ran.length * ROW_H;
  const loadTop = AXIS_H + rowsH + GAP;
  const height = loadTop + LOAD_H + 8;
  const width = LABEL_W + PLOT_W + 64;
  const out: string[] = [];

  const step = niceStep(span);
  for (let k = 0; k * step <= span; k++) {
    const t = k * step;
    const gx = x(t0 + t);
    out.push(`<line class="grid" x1="${gx}" y1="${AXIS_H - 4}" x2="${gx}" y2="${loadTop + LOAD_H}"/>`);
    out.push(`<text class="tick" x="${gx}" y="${AXIS_H - 10}">${esc(formatOffset(t))}</text>`);
  }

  ran.forEach(({ task, start, end }, i) => {
    const y = AXIS_H + i * ROW_H;
    const r = task.record!;
    const state = task.state ?? r.state;
    const attempts = r.attempts > 1 ? `, ${r.attempts} attempts` : "";
    const where = r.ranOn ? `, on ${r.ranOn}` : "";
    const title = `${task.name}: ${state}, ${formatDuration(end - start)} from +${formatOffset(start - t0)}${attempts}${where}${task.critical ? ", on the critical path" : ""}`;
    const bx = x(start);
    const bw = Math.max(2, +(x(end) - bx).toFixed(2));
    out.push(
      `<text class="label${task.critical ? " critical" : ""}" x="${LABEL_W - 8}" y="${y + ROW_H / 2 + 4}" data-task="${esc(task.name)}">${esc(clip(task.name, 28))}</text>`,
      `<rect class="bar ${stateClass(state)}${task.critical ? " critical" : ""}" data-task="${esc(task.name)}" data-state="${esc(state)}" data-start="${start - t0}" data-end="${end - t0}" x="${bx}" y="${y + (ROW_H - BAR_H) / 2}" width="${bw}" height="${BAR_H}" rx="3"><title>${esc(title)}</title></rect>`,
      `<text class="dur" x="${+(bx + bw + 4).toFixed(2)}" y="${y + ROW_H / 2 + 4}">${esc(formatDuration(end - start))}</text>`,
    );
  });

  const steps = concurrencySteps(ran);
  const peak = Math.max(1, ...steps.map((s) => s.running));
  const base = loadTop + LOAD_H;
  const yOf = (n: number) => +(base - (n / peak) * (LOAD_H - 8)).toFixed(2);
  let d = `M${x(t0)} ${base}`;
  for (const s of steps) d += ` H${x(s.at)} V${yOf(s.running)}`;
  d += ` H${x(t1)} V${base} Z`;
  out.push(
    `<text class="axis-label" x="${LABEL_W - 8}" y="${loadTop + 14}">tasks running</text>`,
    `<text class="axis-label" x="${LABEL_W - 8}" y="${loadTop + 30}">(peak ${peak})</text>`,
    `<line class="baseline" x1="${LABEL_W}" y1="${base}" x2="${LABEL_W + PLOT_W}" y2="${base}"/>`,
    `<path class="load" d="${d}" data-peak="${peak}"/>`,
  );

  return [
    `<svg class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Timeline of the tasks that ran">`,
    ...out,
    "</svg>",
  ].join("\n");
}
