import { closestName } from "@lp/core/internal";
import { ExpiryArgumentError, expected } from "../errors.js";

/**
 * A length of time as whole, non-negative amounts. Years, months, weeks and days count on
 * the calendar; hours, minutes and seconds count on the clock.
 */
export interface Duration {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

/** A checked duration with every amount present. */
export type FullDuration = Required<Duration>;

const UNITS = ["years", "months", "weeks", "days", "hours", "minutes", "seconds"] as const;
const SHORT: Record<(typeof UNITS)[number], string> = { years: "y", months: "mo", weeks: "w", days: "d", hours: "h", minutes: "m", seconds: "s" };
const DAY_S = 86_400;
// Rough upper bounds in seconds, only to keep results inside the range a Date can hold.
const APPROX_S: Record<(typeof UNITS)[number], number> = {
  years: 366 * DAY_S,
  months: 31 * DAY_S,
  weeks: 7 * DAY_S,
  days: DAY_S,
  hours: 3600,
  minutes: 60,
  seconds: 1,
};
const MAX_YEARS = 10_000;

/**
 * Checks a duration argument. `zeroHint` is appended to the all-zero message.
 * @throws ExpiryArgumentError for a non-object, an unknown unit, a negative or fractional
 * amount, an all-zero duration, or one longer than 10,000 years
 */
export function checkDuration(strategy: string, value: unknown, zeroHint = ""): FullDuration {
  const accepted = `an object of whole amounts such as { hours: 2 } or { months: 1, days: 3 } (units: ${UNITS.join(", ")})`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw expected(strategy, "duration", accepted, value);
  for (const key of Object.keys(value)) {
    if (!(UNITS as readonly string[]).includes(key)) {
      const suggestion = closestName(key, UNITS);
      throw new ExpiryArgumentError(
        strategy,
        key,
        `unknown unit \`${key}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ""} Units are ${UNITS.join(", ")}.`,
      );
    }
  }
  const out = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  let approx = 0;
  for (const unit of UNITS) {
    const amount = (value as Duration)[unit];
    if (amount === undefined) continue;
    if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount < 0) {
      throw expected(strategy, unit, "a whole number from 0 up", amount);
    }
    out[unit] = amount;
    approx += amount * APPROX_S[unit];
  }
  if (approx === 0) {
    throw new ExpiryArgumentError(strategy, "duration", `expected a duration above zero, such as { hours: 2 }; every amount is 0 or missing, so results would expire as soon as they are stored.${zeroHint}`);
  }
  if (approx > MAX_YEARS * 365 * DAY_S) {
    throw new ExpiryArgumentError(strategy, "duration", `expected a duration of at most ${MAX_YEARS.toLocaleString("en-US")} years, got ${formatDuration(out)}. Use never() for results that should not expire by time.`);
  }
  return out;
}

/** A compact form for labels: `2h`, `1y6mo`, `1w2d12h30m`. */
export function formatDuration(d: FullDuration): string {
  return UNITS.filter((u) => d[u] > 0)
    .map((u) => `${d[u]}${SHORT[u]}`)
    .join("");
}

/** Whether any amount counts on the calendar (and so depends on the time zone). */
export function hasCalendarPart(d: FullDuration): boolean {
  return d.years + d.months + d.weeks + d.days > 0;
}
