import type { ExpiryPolicy } from "@lp/core";
import { addDays } from "../calendar/plain-date.js";
import { expected } from "../errors.js";
import { type TimeZoneOptions, checkOptions } from "../options.js";
import { localTimeZone } from "../zone/time-zone.js";
import { startOfDay, toWallClock } from "../zone/wall-clock.js";
import { definePolicy, firstAfter, labelOf } from "./define.js";

function parseDays(value: unknown): Set<number> {
  if (typeof value !== "number" && !Array.isArray(value)) {
    throw expected("monthly", "days", "a day of the month (1 to 31) or an array of them, such as [1, 15]", value);
  }
  const list: readonly unknown[] = typeof value === "number" ? [value] : value;
  if (list.length === 0) throw expected("monthly", "days", "at least one day of the month, such as [1] or [1, 15]", value);
  return new Set(
    list.map((day, i) => {
      if (typeof day !== "number" || !Number.isInteger(day) || day < 1 || day > 31) {
        throw expected("monthly", Array.isArray(value) ? `days[${i}]` : "days", "a day of the month, a whole number from 1 to 31", day);
      }
      return day;
    }),
  );
}

/**
 * Results expire at the start of the next listed day of the month. "Next" is strictly
 * after now, and a month without the day is skipped rather than overflowed: `monthly(31)`
 * stored on Mar 31 lasts until May 31.
 *
 * @param days - a day of the month (1–31) or an array of them
 * @default days `[1]`
 * @param options - `timeZone` whose calendar and midnight count
 * @throws ExpiryArgumentError for an empty list, a day outside 1–31 or not whole, or an
 *   unknown time zone
 * @example
 * task("Payroll", { expire: monthly([1, 15]), run: loadPayroll }); // label monthly(1,15)
 */
export function monthly(days: number | readonly number[] = [1], options?: TimeZoneOptions): ExpiryPolicy {
  const allowed = parseDays(days);
  const { timeZone } = checkOptions("monthly", options, ["timeZone"]);
  const shown = [...allowed].sort((a, b) => a - b).join(",");
  return definePolicy("monthly", labelOf("monthly", shown, timeZone), (now) => {
    const zone = timeZone ?? localTimeZone();
    const today = toWallClock(now, zone);
    return firstAfter(
      "monthly",
      now,
      (k) => {
        // Stepping day by day visits only dates that exist, so a missing 31st is skipped.
        const date = addDays(today, k);
        return allowed.has(date.day) ? startOfDay(date, zone) : undefined;
      },
      1,
    );
  });
}
