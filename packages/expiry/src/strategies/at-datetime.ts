import type { ExpiryPolicy } from "@lp/core";
import { type DateInput, formatInstant, toInstant } from "../calendar/instant.js";
import { ExpiryWarning, expected } from "../errors.js";
import { type TimeZoneOptions, checkOptions } from "../options.js";
import { localTimeZone } from "../zone/time-zone.js";
import { definePolicy, labelOf } from "./define.js";

/** Options of `atDatetime`. */
export interface AtDatetimeOptions extends TimeZoneOptions {
  /**
   * The clock used to tell whether `date` is already past when the policy is defined.
   * @default () => new Date()
   */
  clock?: () => Date;
  /**
   * Receives the warning for a `date` already past. Without it the warning goes to
   * `process.emitWarning`, so it shows once on stderr without stopping anything.
   */
  onWarning?: (warning: ExpiryWarning) => void;
}

/**
 * Results expire at one fixed moment, for data valid until a known date (a contract end,
 * a release). Once the moment has passed, every result is stored already expired, so the
 * task runs each time; defining the policy with a past `date` warns about it.
 *
 * @param date - a Date, ms since the epoch, or an ISO 8601 string; a string without `Z` or
 *   an offset (`"2025-11-01T06:00"`, `"2025-11-01"`) is a wall-clock time in `timeZone`
 * @param options - `timeZone` for reading wall-clock strings and for the label; `clock` and
 *   `onWarning` for the past-date check
 * @throws ExpiryArgumentError for an invalid Date, an unreadable string, a day or time that
 *   does not exist, or an unknown time zone
 * @example
 * task("Quote", { expire: atDatetime("2026-01-01T00:00", { timeZone: "America/Denver" }), run: fetchQuote });
 */
export function atDatetime(date: DateInput, options?: AtDatetimeOptions): ExpiryPolicy {
  const { timeZone } = checkOptions("atDatetime", options, ["timeZone", "clock", "onWarning"]);
  const clock = options?.clock ?? (() => new Date());
  const onWarning = options?.onWarning ?? ((warning: ExpiryWarning) => process.emitWarning(warning));
  if (typeof clock !== "function") throw expected("atDatetime", "clock", "a function returning the current Date", clock);
  if (typeof onWarning !== "function") throw expected("atDatetime", "onWarning", "a function that receives an ExpiryWarning", onWarning);
  const at = toInstant("atDatetime", date, timeZone ?? localTimeZone());
  const shown = formatInstant(at, timeZone);
  const now = clock().getTime();
  if (at <= now) {
    onWarning(
      new ExpiryWarning(
        "atDatetime",
        `${shown} is already past (now is ${formatInstant(now, timeZone)}), so results would be stale as soon as they are stored and the task would run every time. Give a future date, or use never() to keep results.`,
      ),
    );
  }
  return definePolicy("atDatetime", labelOf("atDatetime", shown, timeZone), () => at);
}
