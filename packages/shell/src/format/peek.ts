import { inspect } from "node:util";

/** Limits for printing a result: enough to see its shape, never a screenful of noise. */
export interface PeekLimits {
  /** Lines printed at most. @default 40 */
  maxLines?: number;
  /** Items shown per array, Map or Set. @default 20 */
  maxItems?: number;
  /** Characters shown per string. @default 500 */
  maxStringLength?: number;
  /** Nesting levels shown. @default 4 */
  depth?: number;
}

/**
 * A value pretty-printed for a terminal, cut at `maxLines` with a note saying how much
 * was left out. Arrays, strings and depth are capped by `util.inspect` first.
 */
export function renderValue(value: unknown, limits: PeekLimits = {}, color = false): string {
  const maxLines = limits.maxLines ?? 40;
  const text = inspect(value, {
    depth: limits.depth ?? 4,
    maxArrayLength: limits.maxItems ?? 20,
    maxStringLength: limits.maxStringLength ?? 500,
    breakLength: 100,
    colors: color,
    sorted: false,
  });
  const lines = text.split("\n");
  if (lines.length <= maxLines) return text;
  const hidden = lines.length - maxLines;
  return `${lines.slice(0, maxLines).join("\n")}\n… ${hidden} more line${hidden === 1 ? "" : "s"}`;
}
