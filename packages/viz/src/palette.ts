import type { VizState } from "./state.js";

/** How one state is drawn, shared by every picture so a state looks the same everywhere. */
export interface StateStyle {
  /** Background of the task's box. */
  fill: string;
  /** Border of the task's box. */
  stroke: string;
  /** Outcomes that did not happen (skipped, not cached) get a dashed border. */
  dashed: boolean;
  /** ANSI SGR parameters for terminals, e.g. `32` for green. */
  ansi: string;
  /** A name usable as a Mermaid class or CSS class. */
  slug: string;
}

/** Colours chosen to read on white and to stay distinct for the common colour-vision deficiencies. */
export const PALETTE: Readonly<Record<VizState, StateStyle>> = {
  executed: { fill: "#c8e6c9", stroke: "#2e7d32", dashed: false, ansi: "32", slug: "executed" },
  cached: { fill: "#bbdefb", stroke: "#1565c0", dashed: false, ansi: "36", slug: "cached" },
  failed: { fill: "#ffcdd2", stroke: "#c62828", dashed: false, ansi: "1;31", slug: "failed" },
  "upstream-failed": { fill: "#ffe0b2", stroke: "#e65100", dashed: false, ansi: "31", slug: "upstreamFailed" },
  skipped: { fill: "#eeeeee", stroke: "#757575", dashed: true, ansi: "2", slug: "skipped" },
  cancelled: { fill: "#e1bee7", stroke: "#6a1b9a", dashed: false, ansi: "35", slug: "cancelled" },
  outdated: { fill: "#fff59d", stroke: "#f9a825", dashed: false, ansi: "33", slug: "outdated" },
  "not cached": { fill: "#ffffff", stroke: "#9e9e9e", dashed: true, ansi: "2", slug: "notCached" },
};

/** Text colour on every fill: all fills are light. */
export const INK = "#1b1b1b";
