import stringWidth from "string-width";

/**
 * Rows as aligned columns, two spaces apart, each line indented by `indent`. Widths are
 * display widths (no colour codes, wide characters as two columns), so every cell lines up.
 */
export function table(rows: readonly (readonly string[])[], indent = "  "): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleLength(cell))))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => indent + line)
    .join("\n");
}

/** Width as shown on a terminal: without colour codes, CJK and emoji counted as two columns. */
export function visibleLength(text: string): number {
  return stringWidth(text);
}
