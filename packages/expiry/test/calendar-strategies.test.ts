import type { ExpiryPolicy } from "@lp/core";
import { describe, expect, it } from "vitest";
import { atMidnight, fromNow, fromToday, monthly, weekly } from "../src/index.js";

const DENVER = { timeZone: "America/Denver" };
const UTC = { timeZone: "UTC" };

/** The expiry a policy computes for a result stored at `now`, as an ISO string. */
function expiry(policy: ExpiryPolicy, now: string): string {
  const at = policy.expiresAt(new Date(now));
  if (at === null) throw new Error(`${policy.label} gave no expiry`);
  return new Date(at).toISOString();
}

type Row = [what: string, policy: ExpiryPolicy, now: string, expected: string];
const check = (rows: Row[]) =>
  it.each(rows)("%s", (_what, policy, now, expectedIso) => {
    expect(expiry(policy, now)).toBe(expectedIso);
  });

describe("atMidnight", () => {
  check([
    ["the next midnight, in the afternoon", atMidnight(UTC), "2025-10-31T14:30:45Z", "2025-11-01T00:00:00.000Z"],
    ["exactly at midnight: the following one", atMidnight(UTC), "2025-11-01T00:00:00.000Z", "2025-11-02T00:00:00.000Z"],
    ["one ms before midnight", atMidnight(UTC), "2025-10-31T23:59:59.999Z", "2025-11-01T00:00:00.000Z"],
    ["year end", atMidnight(UTC), "2025-12-31T18:00:00Z", "2026-01-01T00:00:00.000Z"],
    ["Feb 28 of a leap year", atMidnight(UTC), "2024-02-28T12:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["Denver, the day before spring forward (MST)", atMidnight(DENVER), "2025-03-08T19:00:00Z", "2025-03-09T07:00:00.000Z"],
    ["Denver, the 23-hour day: next midnight is MDT", atMidnight(DENVER), "2025-03-09T18:00:00Z", "2025-03-10T06:00:00.000Z"],
    ["Denver, the day before fall back (MDT)", atMidnight(DENVER), "2025-11-01T18:00:00Z", "2025-11-02T06:00:00.000Z"],
    ["Denver, the 25-hour day: next midnight is MST", atMidnight(DENVER), "2025-11-02T19:00:00Z", "2025-11-03T07:00:00.000Z"],
    ["Denver, during the repeated hour", atMidnight(DENVER), "2025-11-02T08:30:00Z", "2025-11-03T07:00:00.000Z"],
    ["Denver, late evening is still the same local day", atMidnight(DENVER), "2025-11-01T05:30:00Z", "2025-11-01T06:00:00.000Z"],
    ["Santiago, a midnight that does not exist: the day starts at 01:00", atMidnight({ timeZone: "America/Santiago" }), "2024-09-07T12:00:00Z", "2024-09-08T04:00:00.000Z"],
    ["Apia, the day after Dec 29, 2011 is Dec 31", atMidnight({ timeZone: "Pacific/Apia" }), "2011-12-29T12:00:00Z", "2011-12-30T10:00:00.000Z"],
  ]);
});

describe("fromNow", () => {
  check([
    ["seconds", fromNow({ seconds: 1 }), "2025-10-31T10:00:00Z", "2025-10-31T10:00:01.000Z"],
    ["two hours", fromNow({ hours: 2 }), "2025-10-31T10:00:00Z", "2025-10-31T12:00:00.000Z"],
    ["one second before the new year", fromNow({ seconds: 1 }), "2025-12-31T23:59:59Z", "2026-01-01T00:00:00.000Z"],
    ["a week", fromNow({ weeks: 1 }, UTC), "2025-12-28T10:00:00Z", "2026-01-04T10:00:00.000Z"],
    ["Jan 31 + 1 month clamps to Feb 28", fromNow({ months: 1 }, UTC), "2025-01-31T10:00:00Z", "2025-02-28T10:00:00.000Z"],
    ["Jan 31 + 1 month in a leap year is Feb 29", fromNow({ months: 1 }, UTC), "2024-01-31T10:00:00Z", "2024-02-29T10:00:00.000Z"],
    ["Mar 31 + 1 month clamps to Apr 30", fromNow({ months: 1 }, UTC), "2025-03-31T10:00:00Z", "2025-04-30T10:00:00.000Z"],
    ["Oct 31 + 4 months crosses the year and clamps", fromNow({ months: 4 }, UTC), "2025-10-31T10:00:00Z", "2026-02-28T10:00:00.000Z"],
    ["Dec 31 + 1 month", fromNow({ months: 1 }, UTC), "2025-12-31T10:00:00Z", "2026-01-31T10:00:00.000Z"],
    ["Feb 29 + 1 year is Feb 28", fromNow({ years: 1 }, UTC), "2024-02-29T10:00:00Z", "2025-02-28T10:00:00.000Z"],
    ["Feb 29 + 4 years is Feb 29", fromNow({ years: 4 }, UTC), "2024-02-29T10:00:00Z", "2028-02-29T10:00:00.000Z"],
    ["years and months clamp once, then days and hours", fromNow({ years: 1, months: 1, days: 1, hours: 1 }, UTC), "2025-01-31T10:00:00Z", "2026-03-01T11:00:00.000Z"],
    ["Denver, 1 day across spring forward keeps the wall time (23 h)", fromNow({ days: 1 }, DENVER), "2025-03-08T19:00:00Z", "2025-03-09T18:00:00.000Z"],
    ["Denver, 24 hours across spring forward are 24 real hours", fromNow({ hours: 24 }, DENVER), "2025-03-08T19:00:00Z", "2025-03-09T19:00:00.000Z"],
    ["Denver, 1 day landing in the skipped hour moves forward", fromNow({ days: 1 }, DENVER), "2025-03-08T09:30:00Z", "2025-03-09T09:30:00.000Z"],
    ["Denver, 1 day across fall back keeps the wall time (25 h)", fromNow({ days: 1 }, DENVER), "2025-11-01T18:00:00Z", "2025-11-02T19:00:00.000Z"],
    ["Denver, 1 day landing in the repeated hour takes the first", fromNow({ days: 1 }, DENVER), "2025-11-01T07:30:00Z", "2025-11-02T07:30:00.000Z"],
    ["Denver, 1 day from the second 01:30", fromNow({ days: 1 }, DENVER), "2025-11-02T08:30:00Z", "2025-11-03T08:30:00.000Z"],
    // 01:00 MST + 1 day is 01:00 MST; two real hours later the clock, sprung forward, reads 04:00 MDT.
    ["Denver, 1 day + 2 hours: the hours are elapsed after the day", fromNow({ days: 1, hours: 2 }, DENVER), "2025-03-08T08:00:00Z", "2025-03-09T10:00:00.000Z"],
  ]);
});

describe("fromToday", () => {
  check([
    ["1 day is tomorrow's midnight", fromToday({ days: 1 }, UTC), "2025-10-31T10:30:45Z", "2025-11-01T00:00:00.000Z"],
    ["1 day + 6 hours is 06:00 tomorrow", fromToday({ days: 1, hours: 6 }, UTC), "2025-10-31T10:30:45Z", "2025-11-01T06:00:00.000Z"],
    ["a time still ahead today", fromToday({ hours: 18 }, UTC), "2025-10-31T10:30:45Z", "2025-10-31T18:00:00.000Z"],
    ["a time already past today counts from tomorrow", fromToday({ hours: 6 }, UTC), "2025-10-31T10:30:45Z", "2025-11-01T06:00:00.000Z"],
    ["exactly at the time: the next one", fromToday({ hours: 6 }, UTC), "2025-10-31T06:00:00Z", "2025-11-01T06:00:00.000Z"],
    ["hours past 24 carry into days", fromToday({ hours: 30 }, UTC), "2025-10-31T10:30:45Z", "2025-11-01T06:00:00.000Z"],
    ["1 month from Jan 31 clamps", fromToday({ months: 1 }, UTC), "2025-01-31T10:00:00Z", "2025-02-28T00:00:00.000Z"],
    ["year end", fromToday({ days: 1 }, UTC), "2025-12-31T23:00:00Z", "2026-01-01T00:00:00.000Z"],
    ["Denver, 06:00 on the spring-forward day is wall-clock 06:00", fromToday({ hours: 6 }, DENVER), "2025-03-09T08:00:00Z", "2025-03-09T12:00:00.000Z"],
    ["Denver, 02:30 on the spring-forward day does not exist: 03:30", fromToday({ hours: 2, minutes: 30 }, DENVER), "2025-03-09T08:00:00Z", "2025-03-09T09:30:00.000Z"],
    ["Denver, 06:00 on the fall-back day is wall-clock 06:00", fromToday({ hours: 6 }, DENVER), "2025-11-02T07:00:00Z", "2025-11-02T13:00:00.000Z"],
    ["Denver, 1 day is the next local midnight, not 24 h", fromToday({ days: 1 }, DENVER), "2025-11-02T19:00:00Z", "2025-11-03T07:00:00.000Z"],
  ]);
});

describe("weekly", () => {
  // 2025-10-31 is a Friday.
  check([
    ["the next Monday", weekly(["Mon"], UTC), "2025-10-31T10:00:00Z", "2025-11-03T00:00:00.000Z"],
    ["defaults to Monday", weekly(undefined, UTC), "2025-10-31T10:00:00Z", "2025-11-03T00:00:00.000Z"],
    ["tomorrow", weekly("Sat", UTC), "2025-10-31T10:00:00Z", "2025-11-01T00:00:00.000Z"],
    ["the same weekday is a week later", weekly(["fr"], UTC), "2025-10-31T10:00:00Z", "2025-11-07T00:00:00.000Z"],
    ["exactly at the start of a listed day: a week later", weekly(["Monday"], UTC), "2025-11-03T00:00:00Z", "2025-11-10T00:00:00.000Z"],
    ["the earliest of several", weekly(["Monday", "Sat", "We"], UTC), "2025-10-31T10:00:00Z", "2025-11-01T00:00:00.000Z"],
    ["any case, two letters, abbreviations", weekly(["THURSDAY", "tu", "  thurs  "], UTC), "2025-10-31T10:00:00Z", "2025-11-04T00:00:00.000Z"],
    ["across the year end (Wed Dec 31 -> Thu Jan 1)", weekly(["Thu"], UTC), "2025-12-31T10:00:00Z", "2026-01-01T00:00:00.000Z"],
    ["Denver, Sunday of spring forward starts at MST midnight", weekly(["Sun"], DENVER), "2025-03-08T19:00:00Z", "2025-03-09T07:00:00.000Z"],
    ["Denver, the Monday after spring forward starts at MDT midnight", weekly(["Mon"], DENVER), "2025-03-09T07:00:00Z", "2025-03-10T06:00:00.000Z"],
    ["Denver, Sunday of fall back starts at MDT midnight", weekly(["Sun"], DENVER), "2025-11-01T19:00:00Z", "2025-11-02T06:00:00.000Z"],
    ["Apia, a Friday that never happened (Dec 30, 2011) is skipped", weekly(["Fri"], { timeZone: "Pacific/Apia" }), "2011-12-29T12:00:00Z", "2012-01-05T10:00:00.000Z"],
    ["Denver, Saturday evening local is still Saturday", weekly(["Sat"], DENVER), "2025-11-02T05:00:00Z", "2025-11-08T07:00:00.000Z"],
  ]);
});

describe("monthly", () => {
  check([
    ["the 1st of next month", monthly([1], UTC), "2025-10-15T10:00:00Z", "2025-11-01T00:00:00.000Z"],
    ["defaults to the 1st", monthly(undefined, UTC), "2025-10-15T10:00:00Z", "2025-11-01T00:00:00.000Z"],
    ["the nearest of several", monthly([15, 25], UTC), "2025-10-31T10:00:00Z", "2025-11-15T00:00:00.000Z"],
    ["on a listed day: next month", monthly(1, UTC), "2025-11-01T00:00:00Z", "2025-12-01T00:00:00.000Z"],
    ["later on a listed day: next month", monthly(1, UTC), "2025-11-01T23:00:00Z", "2025-12-01T00:00:00.000Z"],
    ["year end", monthly([1], UTC), "2025-12-15T00:00:00Z", "2026-01-01T00:00:00.000Z"],
    ["the 31st skips February", monthly([31], UTC), "2025-02-15T10:00:00Z", "2025-03-31T00:00:00.000Z"],
    ["the 31st skips April", monthly([31], UTC), "2025-03-31T10:00:00Z", "2025-05-31T00:00:00.000Z"],
    ["the 31st from Jan 31 skips Feb", monthly([31], UTC), "2025-01-31T10:00:00Z", "2025-03-31T00:00:00.000Z"],
    ["the 29th skips Feb in a common year", monthly([29], UTC), "2025-01-30T10:00:00Z", "2025-03-29T00:00:00.000Z"],
    ["the 29th lands on Feb 29 in a leap year", monthly([29], UTC), "2024-01-30T10:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["the 30th and 31st skip February", monthly([30, 31], UTC), "2024-02-01T10:00:00Z", "2024-03-30T00:00:00.000Z"],
    ["Dec 31 -> Jan 31", monthly([31], UTC), "2025-12-31T10:00:00Z", "2026-01-31T00:00:00.000Z"],
    ["Apia, the 30th of December 2011 never happened", monthly([30], { timeZone: "Pacific/Apia" }), "2011-12-29T12:00:00Z", "2012-01-29T10:00:00.000Z"],
    ["Denver, the 9th on the spring-forward day (MST midnight)", monthly([9], DENVER), "2025-03-01T19:00:00Z", "2025-03-09T07:00:00.000Z"],
    ["Denver, the 3rd after fall back (MST midnight)", monthly([3], DENVER), "2025-11-02T19:00:00Z", "2025-11-03T07:00:00.000Z"],
    ["Denver, the 2nd on the fall-back day (MDT midnight)", monthly([2], DENVER), "2025-10-15T12:00:00Z", "2025-11-02T06:00:00.000Z"],
  ]);
});
