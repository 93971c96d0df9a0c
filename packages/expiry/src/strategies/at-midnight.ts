import type { ExpiryPolicy } from "@lp/core";
import { addDays } from "../calendar/plain-date.js";
import { type TimeZoneOptions, checkOptions } from "../options.js";
import { localTimeZone } from "../zone/time-zone.js";
import { startOfDay, toWallClock } from "../zone/wall-clock.js";
import { definePolicy, firstAfter, labelOf } from "./define.js";

/**
 * Results expire at the next midnight: for data that changes daily. On a day whose
 * midnight is skipped by a daylight-saving change, the first instant of that day counts.
 *
 * @param options - `timeZone` whose midnight counts
 * @throws ExpiryArgumentError for an unknown time zone or option
 * @example
 * task("Prices", { expire: atMidnight({ timeZone: "America/Denver" }), run: fetchPrices });
 */
export function atMidnight(options?: TimeZoneOptions): ExpiryPolicy {
  const { timeZone } = checkOptions("atMidnight", options, ["timeZone"]);
  return definePolicy("atMidnight", labelOf("atMidnight", timeZone), (now) => {
    const zone = timeZone ?? localTimeZone();
    const today = toWallClock(now, zone);
    return firstAfter("atMidnight", now, (k) => startOfDay(addDays(today, k), zone), 1);
  });
}
