import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromWallClock, offsetAt, startOfDay, toWallClock } from "../src/zone/wall-clock.js";
import { TRANSITIONS, ZONES, readWall } from "./fixtures/zones.js";

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const wall = (year: number, month: number, day: number, hour = 0, minute = 0) => ({ year, month, day, hour, minute, second: 0, millisecond: 0 });

describe("zone offsets", () => {
  it.each([
    ["America/Denver", "2025-01-15T12:00:00Z", -7],
    ["America/Denver", "2025-07-15T12:00:00Z", -6],
    ["Asia/Kolkata", "2025-07-15T12:00:00Z", 5.5],
    ["Asia/Kathmandu", "2025-07-15T12:00:00Z", 5.75],
    ["UTC", "2025-07-15T12:00:00Z", 0],
  ])("%s at %s is UTC%+d h", (zone, at, hours) => {
    expect(offsetAt(Date.parse(at), zone)).toBe(hours * HOUR);
  });

  it("handles instants before 1970 and with milliseconds", () => {
    expect(offsetAt(Date.parse("1960-01-01T00:00:00.999Z"), "America/Denver")).toBe(-7 * HOUR);
    expect(toWallClock(Date.parse("1960-01-01T00:00:00.250Z"), "UTC")).toMatchObject({ year: 1960, month: 1, day: 1, millisecond: 250 });
  });
});

describe("wall clock to instant", () => {
  it.each([
    ["an ordinary time", wall(2025, 7, 4, 12), "2025-07-04T18:00:00.000Z"],
    ["a time skipped in March moves forward by the gap", wall(2025, 3, 9, 2, 30), "2025-03-09T09:30:00.000Z"],
    ["the hour after the March gap", wall(2025, 3, 9, 3, 0), "2025-03-09T09:00:00.000Z"],
    ["a time repeated in November is its first occurrence", wall(2025, 11, 2, 1, 30), "2025-11-02T07:30:00.000Z"],
    ["the hour after the November overlap", wall(2025, 11, 2, 2, 0), "2025-11-02T09:00:00.000Z"],
  ])("Denver: %s", (_what, w, expectedIso) => {
    expect(iso(fromWallClock(w, "America/Denver"))).toBe(expectedIso);
  });

  it.each([
    ["America/Denver", wall(2025, 3, 9), "2025-03-09T07:00:00.000Z"],
    ["America/Denver", wall(2025, 11, 2), "2025-11-02T06:00:00.000Z"],
    // DST begins at midnight: the day starts at 01:00.
    ["America/Santiago", wall(2024, 9, 8), "2024-09-08T04:00:00.000Z"],
    ["Pacific/Apia", wall(2011, 12, 31), "2011-12-30T10:00:00.000Z"],
  ])("the start of a day in %s", (zone, w, expectedIso) => {
    expect(iso(startOfDay(w, zone)!)).toBe(expectedIso);
  });

  it("has no start for a day the zone skipped (Samoa, Dec 30, 2011)", () => {
    expect(startOfDay(wall(2011, 12, 30), "Pacific/Apia")).toBeUndefined();
  });

  it("agrees with Intl and round-trips every instant to itself or the earlier occurrence of its wall time", () => {
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2150, 0, 1) }),
      fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * HOUR, max: 3 * HOUR })).map(([t, d]) => t + d),
    );
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const w = toWallClock(t, zone);
        const pad = (n: number) => String(n).padStart(2, "0");
        const intl = readWall(t, zone);
        expect(`${w.year}-${pad(w.month)}-${pad(w.day)}`).toBe(intl.date);
        expect(`${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`).toBe(intl.time);
        const back = fromWallClock(w, zone);
        expect(back).toBeLessThanOrEqual(t);
        expect(toWallClock(back, zone)).toEqual(w);
      }),
    );
  });
});
