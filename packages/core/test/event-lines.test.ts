import { describe, expect, it } from "vitest";
import type { RunEvent } from "../src/index.js";
import { LOG_LEVELS, eventLines, formatDuration, levelAllows } from "../src/internal.js";

const decision = { run: true, reason: { kind: "never-run" as const }, text: "never run (no stored result)" };
const record = { name: "T", state: "executed" as const, durationMs: 1234, attempts: 1, processes: [], resultType: "number" };

describe("durations as text", () => {
  it("are the same on every call, under a minute and past it", () => {
    const cases: [number, string][] = [
      [0, "0:00.00"],
      [4, "0:00.00"],
      [5, "0:00.01"],
      [-3, "0:00.00"],
      [1500, "0:01.50"],
      [59_994, "0:59.99"],
      [59_995, "1:00.00"],
      [61_234, "1:01.23"],
      [3_601_000, "1:00:01.00"],
    ];
    for (let round = 0; round < 2; round++) for (const [ms, text] of cases) expect(formatDuration(ms)).toBe(text);
    expect(formatDuration(Number.NaN)).toBe("NaN:NaN.NaN");
  });
});

describe("levels", () => {
  it("let a line through at its level and every more verbose threshold, never at silent", () => {
    for (const threshold of LOG_LEVELS) {
      for (const level of LOG_LEVELS.slice(1) as Exclude<(typeof LOG_LEVELS)[number], "silent">[]) {
        expect(levelAllows(threshold, level)).toBe(threshold !== "silent" && LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(threshold));
      }
    }
  });
});

describe("event lines", () => {
  const start: RunEvent = { type: "task:start", task: "T", attempt: 1, decision, at: 1 };
  const done: RunEvent = { type: "task:done", task: "T", record, at: 2 };

  it("carry JSON data and the debug line unless told not to, with the same text either way", () => {
    const full = [...eventLines(start), ...eventLines(done)];
    expect(full.map((l) => [l.kind, l.message])).toEqual([
      ["EXEC", "Running..."],
      ["DEBUG", "Runs because: never run (no stored result)"],
      ["DONE", "(in 0:01.23)"],
    ]);
    expect(full[0]!.data).toEqual({ attempt: 1, reason: decision.text });
    expect(full[2]!.data).toEqual({ state: "executed", durationMs: 1234, attempts: 1, resultType: "number" });

    const lean = [...eventLines(start, { processTimings: false, data: false, debug: false }), ...eventLines(done, { processTimings: false, data: false })];
    expect(lean.map((l) => [l.kind, l.message, l.data])).toEqual([
      ["EXEC", "Running...", undefined],
      ["DONE", "(in 0:01.23)", undefined],
    ]);
  });
});
