import { expected } from "../errors.js";
import type { WeekdayIndex } from "./plain-date.js";

/** English weekday names, in any case; `"Mon"`, `"mo"`, `"thurs"` and `"THURSDAY"` all work. */
export type WeekdayName =
  | "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun"
  | "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
  // Any other spelling is checked at run time; this keeps the names above in autocompletion.
  | (string & {});

// Indexed as JavaScript's getDay(): Sunday is 0.
const FULL = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
const SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/**
 * Reads a weekday name: any prefix of at least two letters of the English name, any case,
 * surrounding spaces ignored. Two letters always suffice (mo, tu, we, th, fr, sa, su).
 */
export function parseWeekday(strategy: string, argument: string, value: unknown): WeekdayIndex {
  const what = 'an English weekday name such as "Mon", "thursday" or "Fr" (any case, at least two letters)';
  if (typeof value !== "string") throw expected(strategy, argument, what, value);
  const text = value.trim().toLowerCase();
  const index = text.length >= 2 ? FULL.findIndex((name) => name.startsWith(text)) : -1;
  if (index < 0) throw expected(strategy, argument, what, value);
  return index as WeekdayIndex;
}

/**
 * Reads `weekly`'s days: one name or a non-empty array of them. Returns the distinct days.
 * @throws ExpiryArgumentError naming the first day that is not a weekday
 */
export function parseWeekdays(strategy: string, value: unknown): Set<WeekdayIndex> {
  if (typeof value === "string") return new Set([parseWeekday(strategy, "days", value)]);
  if (!Array.isArray(value)) throw expected(strategy, "days", 'a weekday name or an array of them, such as ["Mon", "Thu"]', value);
  if (value.length === 0) throw expected(strategy, "days", 'at least one weekday name, such as ["Mon"] or ["Mon", "Thu"]', value);
  return new Set(value.map((v, i) => parseWeekday(strategy, `days[${i}]`, v)));
}

/** Days for labels, Monday first: `Mon,Thu`. */
export function formatWeekdays(days: ReadonlySet<WeekdayIndex>): string {
  return [...days]
    .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
    .map((d) => SHORT[d])
    .join(",");
}
