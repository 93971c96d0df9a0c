import type { ExpiryPolicy } from "@lp/core";
import { addDays, weekdayOf } from "../calendar/plain-date.js";
import { type WeekdayName, formatWeekdays, parseWeekdays } from "../calendar/weekdays.js";
import { type TimeZoneOptions, checkOptions } from "../options.js";
import { localTimeZone } from "../zone/time-zone.js";
import { startOfDay, toWallClock } from "../zone/wall-clock.js";
import { definePolicy, firstAfter, labelOf } from "./define.js";

/**
 * Results expire at the start of the next listed weekday, for data refreshed on a weekly
 * rhythm. "Next" is strictly after now: stored on a Monday, `weekly("Mon")` lasts until
 * the following Monday.
 *
 * @param days - a weekday name or an array of them: English, any case, two letters or
 *   more (`"Mo"`, `"mon"`, `"Monday"`, `"thurs"`)
 * @default days `["Mon"]`
 * @param options - `timeZone` whose calendar and midnight count
 * @throws ExpiryArgumentError for an empty list, a name that is not a weekday, or an
 *   unknown time zone
 * @example
 * task("Roster", { expire: weekly(["Mon", "thursday"]), run: loadRoster }); // label weekly(Mon,Thu)
 */
export function weekly(days: WeekdayName | readonly WeekdayName[] = ["Mon"], options?: TimeZoneOptions): ExpiryPolicy {
  const allowed = parseWeekdays("weekly", days);
  const { timeZone } = checkOptions("weekly", options, ["timeZone"]);
  return definePolicy("weekly", labelOf("weekly", formatWeekdays(allowed), timeZone), (now) => {
    const zone = timeZone ?? localTimeZone();
    const today = toWallClock(now, zone);
    return firstAfter(
      "weekly",
      now,
      (k) => {
        const date = addDays(today, k);
        return allowed.has(weekdayOf(date)) ? startOfDay(date, zone) : undefined;
      },
      1,
    );
  });
}
