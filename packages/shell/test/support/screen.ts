/**
 * The rows a terminal would show for raw output, for the controls our output uses:
 * `\r` returns to the row's start, `ESC[2K` erases the row, `\n` starts the next row;
 * other escapes (colour, cursor keys) are dropped. Text written after `\r` overwrites.
 */
export function screenRows(raw: string): string[] {
  const rows: string[] = [];
  let row: string[] = [];
  let col = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === "\x1b") {
      const match = /^\x1b\[([0-9;?]*)([A-Za-z])/.exec(raw.slice(i));
      if (match) {
        if (match[2] === "K" && match[1] === "2") row = [];
        i += match[0].length - 1;
      }
      continue;
    }
    if (ch === "\r") col = 0;
    else if (ch === "\n") {
      rows.push(row.join("").trimEnd());
      row = [];
      col = 0;
    } else {
      while (row.length < col) row.push(" ");
      row[col++] = ch;
    }
  }
  rows.push(row.join("").trimEnd());
  return rows;
}
