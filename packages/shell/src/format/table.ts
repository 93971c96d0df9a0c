/**
 * Rows as aligned columns, two spaces apart, each line indented by `indent`. Widths are
 * measured without ANSI colour codes so coloured cells line up too.
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

/** Length as shown on a terminal: without colour codes. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}
