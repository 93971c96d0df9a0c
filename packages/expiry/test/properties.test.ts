import type { ExpiryPolicy } from "@lp/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Duration, atMidnight, fromNow, fromToday, monthly, weekly } from "../src/index.js";
import { LATE_STARTS, MIDNIGHT_SAFE, TRANSITIONS, ZONES, readWall } from "./fixtures/zones.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The day Samoa skipped: its clocks went from Thursday 29 December 2011 24:00 to Saturday 31 00:00. */
const APIA_SKIP = { zone: "Pacific/Apia", at: Date.parse("2011-12-30T10:00:00Z") };
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** Any instant from 1950 to 2150, with extra weight next to daylight-saving changes and midnights. */
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2150, 0, 1) }),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2 * DAY, max: 2 * DAY })).map(([t, d]) => t + d),
  fc.tuple(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: -2, max: 2 })).map(([day, ms]) => Date.UTC(1970, 0, 1) + day * DAY + ms),
);
const zone = fc.constantFrom(...ZONES);
const amount = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: undefined });
const duration: fc.Arbitrary<Duration> = fc
  .record({ years: amount(3), months: amount(25), weeks: amount(5), days: amount(40), hours: amount(50), minutes: amount(120), seconds: amount(120) })
  .filter((d) => Object.values(d).some((v) => (v ?? 0) > 0));
const weekdays = fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 });
const monthDays = fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { minLength: 1, maxLength: 5 });

const policy: fc.Arbitrary<ExpiryPolicy> = fc.oneof(
  zone.map((timeZone) => atMidnight({ timeZone })),
  fc.tuple(duration, zone).map(([d, timeZone]) => fromNow(d, { timeZone })),
  fc.tuple(duration, zone).map(([d, timeZone]) => fromToday(d, { timeZone })),
  fc.tuple(weekdays, zone).map(([days, timeZone]) => weekly(days, { timeZone })),
  fc.tuple(monthDays, zone).map(([days, timeZone]) => monthly(days, { timeZone })),
);

/** Checks that `at` is the first instant of its day in `timeZone`, read through Intl. */
function expectStartOfDay(at: number, timeZone: string): void {
  expect(readWall(at - 1, timeZone).date < readWall(at, timeZone).date).toBe(true);
  if (!MIDNIGHT_SAFE.has(timeZone)) return;
  const wall = readWall(at, timeZone);
  const late = LATE_STARTS[timeZone];
  expect(wall.time).toBe(late?.date === wall.date ? late.time : "00:00:00");
}

describe("properties of every calendar strategy", () => {
  it("every computed expiry lies strictly after now", () => {
    fc.assert(
      fc.property(policy, instant, (p, now) => {
        const at = p.expiresAt(new Date(now));
        expect(at).not.toBeNull();
        expect(at!).toBeGreaterThan(now);
      }),
      { numRuns: 1000 },
    );
  });

  it("weekly lands at the start of an allowed weekday in its zone, the first one after now", () => {
    fc.assert(
      fc.property(weekdays, zone, instant, (days, timeZone, now) => {
        const p = weekly(days, { timeZone });
        const at = p.expiresAt(new Date(now))!;
        expect(days).toContain(readWall(at, timeZone).weekday);
        expectStartOfDay(at, timeZone);
        // A week plus a daylight-saving change; two weeks where the zone skipped the allowed day
        // (Samoa went from Thursday 29 to Saturday 31 December 2011: no Friday that week).
        const skippedADay = timeZone === APIA_SKIP.zone && now < APIA_SKIP.at && at > APIA_SKIP.at;
        expect(at - now).toBeLessThanOrEqual((skippedADay ? 14 : 7) * DAY + 2 * HOUR);
        // Any moment before it would have given the same expiry: no allowed day was skipped.
        expect(p.expiresAt(new Date(at - 1))).toBe(at);
      }),
      {
        numRuns: 400,
        examples: [
          [["Fri"], "Pacific/Apia", Date.parse("2011-12-29T07:59:59.999Z")],
          [["Fri"], "Pacific/Apia", Date.parse("2011-12-23T10:00:00.001Z")],
        ],
      },
    );
  });

  it("monthly lands at the start of an allowed day of the month in its zone, the first one after now", () => {
    fc.assert(
      fc.property(monthDays, zone, instant, (days, timeZone, now) => {
        const p = monthly(days, { timeZone });
        const at = p.expiresAt(new Date(now))!;
        expect(days).toContain(readWall(at, timeZone).day);
        expectStartOfDay(at, timeZone);
        expect(at - now).toBeLessThanOrEqual(62 * DAY);
        expect(p.expiresAt(new Date(at - 1))).toBe(at);
      }),
      {
        numRuns: 400,
        // Days that began after midnight: the expiry is their first instant, not a 00:00 that never was.
        examples: [
          [[1], "Asia/Kathmandu", Date.parse("1985-12-15T00:00:00Z")],
          [[1], "Australia/Lord_Howe", Date.parse("1981-02-20T00:00:00Z")],
        ],
      },
    );
  });

  it("atMidnight lands at the start of the next day in its zone", () => {
    fc.assert(
      fc.property(zone, instant, (timeZone, now) => {
        const at = atMidnight({ timeZone }).expiresAt(new Date(now))!;
        expectStartOfDay(at, timeZone);
        expect(readWall(at - 1, timeZone).date).toBe(readWall(now, timeZone).date);
      }),
      { numRuns: 400 },
    );
  });

  it("fromNow with clock units only is exact elapsed time, whatever the zone", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), zone, instant, (seconds, timeZone, now) => {
        expect(fromNow({ seconds }, { timeZone }).expiresAt(new Date(now))).toBe(now + seconds * 1000);
      }),
    );
  });
});
