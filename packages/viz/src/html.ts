export { formatBytes } from "@lp/core/internal";

/** Text safe in HTML content and in double- or single-quoted attributes (and so in inline SVG). */
export function esc(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is replaced because HTML forbids it
  return String(value).replace(/[&<>"'\u0000]/g, (c) => (c === "\u0000" ? "\uFFFD" : `&#${c.charCodeAt(0)};`));
}

/** A time as ISO 8601 in UTC, the same for every reader of the report. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** An offset within a run for axis ticks: `0`, `250ms`, `1.5s`, `2m 30s`. */
export function formatOffset(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m ${s}s`;
}

/** A step between axis ticks: 1, 2 or 5 times a power of ten, giving about `count` ticks over `span`. */
export function niceStep(span: number, count = 6): number {
  const raw = Math.max(span, 1) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 5, 10].find((f) => f * power >= raw) ?? 10;
  return factor * power;
}

/** Cuts a label to `max` characters with an ellipsis, so it fits its box; the full name goes in a tooltip. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** State as a CSS class: `st-upstream-failed`, `st-not-cached`. */
export function stateClass(state: string): string {
  return `st-${state.replace(/[^a-z]+/g, "-")}`;
}
