import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { fromFileName, toFileName } from "../src/index.js";

const NAMES = ["TaskOne", "a/b", "a_b", "a%2Fb", "a\\b", "..", ".", ".hidden", "trailing.", "trailing ", " lead", "CON", "con.txt", "nul", "LPT1", "x:y", "a~b", "ünïcödé 日本", "tab\there", "*?<>|\"", "COM10"];

describe("task names as file names", () => {
  it("maps different names to different file names", () => {
    const files = NAMES.map(toFileName);
    expect(new Set(files).size).toBe(NAMES.length);
  });

  it("keeps plain names readable", () => {
    expect(toFileName("TaskOne")).toBe("TaskOne");
    expect(toFileName("load-2024.csv")).toBe("load-2024.csv");
    expect(toFileName("Daten laden")).toBe("Daten laden");
  });

  it("never yields a path, a dot name, a Windows device name or a trailing dot or space", () => {
    for (const name of NAMES) {
      const file = toFileName(name);
      expect(basename(file)).toBe(file);
      expect(file).not.toMatch(/[/\\:*?"<>|~\t]/);
      expect(file).not.toMatch(/^[. ]|[. ]$/);
      expect(file).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
    }
  });

  it("is reversible", () => {
    for (const name of NAMES) {
      expect(fromFileName(toFileName(name))).toBe(name);
      expect(fromFileName(`${toFileName(name)}.log`)).toBe(name);
    }
  });

  it("cuts very long names and keeps them unique with a hash", () => {
    const a = `${"x".repeat(300)}a`;
    const b = `${"x".repeat(300)}b`;
    expect(Buffer.byteLength(toFileName(a))).toBeLessThanOrEqual(200);
    expect(toFileName(a)).not.toBe(toFileName(b));
    expect(toFileName(a)).toMatch(/~h[0-9a-f]{12}$/);
    expect(fromFileName(toFileName(a))).toBeUndefined();
    const wide = "日".repeat(100);
    expect(toFileName(wide)).not.toContain("\uFFFD");
    expect(Buffer.byteLength(toFileName(wide))).toBeLessThanOrEqual(200);
  });

  it("does not read rotated files or foreign names as task names", () => {
    expect(fromFileName("TaskOne~20250131-120000-000.log")).toBeUndefined();
    expect(fromFileName("a/b.log")).toBeUndefined();
    expect(fromFileName("bad%zz.log")).toBeUndefined();
    expect(fromFileName("a%5Fb.log")).toBeUndefined();
  });

  it("rejects an empty name", () => {
    expect(() => toFileName("")).toThrow(expect.objectContaining({ code: "LP_INVALID_OPTION" }));
  });
});
