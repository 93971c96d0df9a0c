/**
 * @lp/viz: pictures of a little-pipelines pipeline — Mermaid and DOT graph text, a terminal
 * tree and a self-contained HTML run report. The engine (`@lp/core`) only emits summaries
 * and statuses; everything drawn from them lives here.
 */
export { vizStates } from "./state.js";
export type { VizState } from "./state.js";
export { toMermaid } from "./mermaid.js";
export type { GraphTextOptions } from "./mermaid.js";
export { toDot } from "./dot.js";
export { renderTree } from "./tree.js";
export type { TreeOptions } from "./tree.js";
export { renderReport, writeReport } from "./report.js";
export type { ReportOptions } from "./report.js";
export { ReportWriteError, StateMismatchError } from "./errors.js";
export type { VizErrorCode } from "./errors.js";
