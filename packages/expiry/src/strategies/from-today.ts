import type { ExpiryPolicy } from "@lp/core";
import { type Duration, checkDuration, formatDuration } from "../calendar/duration.js";
import { addDays, addMonths } from "../calendar/plain-date.js";
import { type TimeZoneOptions, checkOptions } from "../options.js";
import { localTimeZone } from "../zone/time-zone.js";
import { fromWallClock, toWallClock } from "../zone/wall-clock.js";
import { definePolicy, firstAfter, labelOf } from "./define.js";

/**
 * Results expire a fixed time after today's midnight: `{ days: 1, hours: 6 }` is 06:00
 * tomorrow. Every amount counts on the calendar and wall clock, so `{ hours: 6 }` means
 * 06:00 even on a daylight-saving day (a time the change skips moves forward, 02:30 to 03:30).
 *
 * When that moment has already passed today (`{ hours: 6 }` stored at 10:00), it is counted
 * from tomorrow's midnight instead, so results never arrive already expired.
 *
 * @param duration - whole, non-negative amounts of `years`, `months`, `weeks`, `days`,
 *   `hours`, `minutes`, `seconds`; at least one above 0 (for plain midnight use `atMidnight()`)
 * @param options - `timeZone` whose midnight and wall clock count
 * @throws ExpiryArgumentError for an unknown unit, a negative or fractional amount, an
 *   all-zero duration, or an unknown time zone
 * @example
 * task("Report", { expire: fromToday({ days: 1, hours: 6 }), run: buildReport }); // 06:00 tomorrow
 */
export function fromToday(duration: Duration, options?: TimeZoneOptions): ExpiryPolicy {
  const d = checkDuration("fromToday", duration, " For the next midnight, use atMidnight().");
  const { timeZone } = checkOptions("fromToday", options, ["timeZone"]);
  return definePolicy("fromToday", labelOf("fromToday", formatDuration(d), timeZone), (now) => {
    const zone = timeZone ?? localTimeZone();
    const today = toWallClock(now, zone);
    return firstAfter("fromToday", now, (k) => {
      const date = addDays(addMonths(addDays(today, k), d.years * 12 + d.months), d.weeks * 7 + d.days);
      // Hours past 24 carry into the next days (fromWallClock normalizes the fields).
      return fromWallClock({ ...date, hour: d.hours, minute: d.minutes, second: d.seconds }, zone);
    });
  });
}
