import { describe, expect, it } from "vitest";
import { renderValue } from "../src/format/peek.js";
import { table, visibleLength } from "../src/format/table.js";
import { formatBytes, formatRelative } from "../src/format/units.js";
import { colors } from "../src/format/colors.js";

describe("renderValue", () => {
  it("prints small values whole", () => {
    expect(renderValue({ a: 1, b: [1, 2] })).toBe("{ a: 1, b: [ 1, 2 ] }");
  });

  it("caps items, string length, depth and lines, saying how much is left out", () => {
    expect(renderValue(Array.from({ length: 100 }, (_, i) => i))).toContain("... 80 more items");
    expect(renderValue("x".repeat(2000))).toContain("... 1500 more characters");
    expect(renderValue({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toContain("[Object]");
    const tall = renderValue(Array.from({ length: 20 }, (_, i) => ({ id: i, text: `row ${i} `.repeat(12) })), { maxLines: 10 });
    expect(tall.split("\n")).toHaveLength(11);
    expect(tall).toMatch(/\n… \d+ more lines$/);
  });
});

describe("units", () => {
  it("formats sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20 MiB");
  });

  it("formats times relative to now", () => {
    expect(formatRelative(1000, 1000)).toBe("just now");
    expect(formatRelative(0, 5 * 60_000)).toBe("5 min ago");
    expect(formatRelative(3 * 3_600_000 + 5, 0)).toBe("in 3 h");
    expect(formatRelative(0, 2 * 86_400_000)).toBe("2 d ago");
  });
});

describe("table", () => {
  it("aligns columns, ignoring colour codes in widths", () => {
    const c = colors(true);
    const out = table([
      [c.bold("A"), "x"],
      ["Longer", "y"],
    ]);
    const lines = out.split("\n");
    expect(visibleLength(lines[0]!)).toBe(visibleLength(lines[1]!));
    expect(out.replace(/\u001b\[[0-9;]*m/g, "")).toBe("  A       x\n  Longer  y");
  });
});
