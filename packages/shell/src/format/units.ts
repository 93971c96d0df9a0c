export { formatBytes } from "@lp/core/internal";

const STEPS: [number, string][] = [
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "min"],
  [1000, "s"],
];

/** A span in the largest fitting unit: `5 s`, `3 min`, `2 h`, `4 d`. */
function span(ms: number): string {
  for (const [size, unit] of STEPS) if (ms >= size) return `${Math.floor(ms / size)} ${unit}`;
  return "0 s";
}

/** A time relative to `now`: `3 min ago`, `in 2 h`, `just now`. */
export function formatRelative(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < 1000) return "just now";
  return delta < 0 ? `${span(-delta)} ago` : `in ${span(delta)}`;
}
