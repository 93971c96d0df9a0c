import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysInMonth, weekdayOf } from "../src/calendar/plain-date.js";

const d = (year: number, month: number, day: number) => ({ year, month, day });

describe("calendar dates", () => {
  it.each([
    [2024, 2, 29],
    [2025, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2025, 4, 30],
    [2025, 12, 31],
  ])("%i-%i has %i days", (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it.each([
    [d(2025, 1, 31), 1, d(2025, 2, 28)],
    [d(2024, 1, 31), 1, d(2024, 2, 29)],
    [d(2025, 3, 31), 1, d(2025, 4, 30)],
    [d(2025, 10, 31), 4, d(2026, 2, 28)],
    [d(2024, 2, 29), 12, d(2025, 2, 28)],
    [d(2024, 2, 29), 48, d(2028, 2, 29)],
    [d(2025, 12, 15), 1, d(2026, 1, 15)],
    [d(2025, 11, 30), 14, d(2027, 1, 30)],
    [d(2025, 5, 31), 0, d(2025, 5, 31)],
  ])("%o plus %i months is %o, clamped to the month's end", (from, months, to) => {
    expect(addMonths(from, months)).toEqual(to);
  });

  it.each([
    [d(2025, 12, 31), 1, d(2026, 1, 1)],
    [d(2024, 2, 28), 1, d(2024, 2, 29)],
    [d(2025, 2, 28), 1, d(2025, 3, 1)],
    [d(2025, 3, 1), -1, d(2025, 2, 28)],
    [d(2025, 1, 1), 365, d(2026, 1, 1)],
  ])("%o plus %i days is %o", (from, days, to) => {
    expect(addDays(from, days)).toEqual(to);
  });

  it("reads weekdays with Sunday as 0", () => {
    expect(weekdayOf(d(2025, 3, 9))).toBe(0);
    expect(weekdayOf(d(2025, 10, 31))).toBe(5);
    expect(weekdayOf(d(2026, 1, 1))).toBe(4);
  });

  it("keeps years below 100 as they are", () => {
    expect(addDays(d(44, 3, 15), 1)).toEqual(d(44, 3, 16));
    expect(daysInMonth(4, 2)).toBe(29);
  });
});
