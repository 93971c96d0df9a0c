import { ExpiryArgumentError, expected } from "../errors.js";
import { fromWallClock, toWallClock } from "../zone/wall-clock.js";
import { daysInMonth, fieldsToUtc } from "./plain-date.js";

/** What `atDatetime` accepts as its moment. */
export type DateInput = Date | number | string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const ACCEPTED =
  'a valid Date, milliseconds since the epoch, or an ISO 8601 string such as "2025-11-01T06:00" (wall clock in `timeZone`) or "2025-11-01T13:00Z"';

/**
 * Reads an ISO 8601 date or date-time. Without `Z` or an offset it is a wall-clock time in
 * `zone`, so "2025-11-01T06:00" with `America/Denver` is 06:00 in Denver.
 */
function parseIso(strategy: string, text: string, zone: string): number {
  const m = ISO.exec(text.trim());
  if (!m) throw expected(strategy, "date", ACCEPTED, text);
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", offset] = m;
  const f = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millisecond: Number(frac.padEnd(3, "0")),
  };
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month) || f.hour > 23 || f.minute > 59 || f.second > 59) {
    throw new ExpiryArgumentError(
      strategy,
      "date",
      `expected \`date\` to name a day and time that exist (month 1-12, a day the month has, time 00:00 to 23:59:59), got ${JSON.stringify(text)}.`,
    );
  }
  if (offset === undefined) return fromWallClock(f, zone);
  if (/^z$/i.test(offset)) return fieldsToUtc(f);
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return fieldsToUtc(f) - sign * minutes * 60_000;
}

/**
 * Turns `atDatetime`'s argument into ms since the epoch.
 * @throws ExpiryArgumentError for an invalid Date, a non-finite number or an unreadable string
 */
export function toInstant(strategy: string, value: unknown, zone: string): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw expected(strategy, "date", ACCEPTED, value);
    return value.getTime();
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value) || Number.isNaN(new Date(value).getTime())) throw expected(strategy, "date", ACCEPTED, value);
    return value;
  }
  if (typeof value === "string") return parseIso(strategy, value, zone);
  throw expected(strategy, "date", ACCEPTED, value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** A compact ISO form for labels: the wall clock in `zone`, or UTC with `Z`. */
export function formatInstant(ms: number, zone: string | undefined): string {
  const f = toWallClock(ms, zone ?? "UTC");
  let text = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`;
  if (f.second !== 0 || f.millisecond !== 0) text += `:${pad(f.second)}`;
  if (f.millisecond !== 0) text += `.${pad(f.millisecond, 3)}`;
  return zone ? text : `${text}Z`;
}
