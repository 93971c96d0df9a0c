import type { ExpiryPolicy } from "@lp/core";
import { type Duration, checkDuration, formatDuration, hasCalendarPart } from "../calendar/duration.js";
import { addDays, addMonths } from "../calendar/plain-date.js";
import { type TimeZoneOptions, checkOptions } from "../options.js";
import { localTimeZone } from "../zone/time-zone.js";
import { fromWallClock, toWallClock } from "../zone/wall-clock.js";
import { definePolicy, labelOf } from "./define.js";

/**
 * Results expire a fixed time after they are stored.
 *
 * Calendar units keep the wall-clock time: `{ days: 1 }` is the same time tomorrow, 23 or
 * 25 hours away across a daylight-saving change, and `{ months: 1 }` from Jan 31 is Feb 28
 * (29 in a leap year). Clock units are elapsed time: `{ hours: 24 }` is always 24 hours.
 * Years and months are added first, then weeks and days, then hours, minutes and seconds.
 *
 * @param duration - whole, non-negative amounts of `years`, `months`, `weeks`, `days`,
 *   `hours`, `minutes`, `seconds`; at least one above 0
 * @param options - `timeZone` whose calendar the calendar units follow
 * @throws ExpiryArgumentError for an unknown unit, a negative or fractional amount, an
 *   all-zero duration, or an unknown time zone
 * @example
 * task("Weather", { expire: fromNow({ hours: 2 }), run: fetchForecast }); // label fromNow(2h)
 */
export function fromNow(duration: Duration, options?: TimeZoneOptions): ExpiryPolicy {
  const d = checkDuration("fromNow", duration);
  const { timeZone } = checkOptions("fromNow", options, ["timeZone"]);
  const clockMs = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
  const calendar = hasCalendarPart(d);
  return definePolicy("fromNow", labelOf("fromNow", formatDuration(d), timeZone), (now) => {
    if (!calendar) return now + clockMs;
    const zone = timeZone ?? localTimeZone();
    const wall = toWallClock(now, zone);
    const date = addDays(addMonths(wall, d.years * 12 + d.months), d.weeks * 7 + d.days);
    return fromWallClock({ ...wall, ...date }, zone) + clockMs;
  });
}
