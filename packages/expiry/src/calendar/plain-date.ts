/**
 * Dates and times as read on a wall clock, with no time zone attached. Arithmetic on
 * them runs on UTC `Date`s, which have no daylight-saving jumps, so adding a day always
 * moves the calendar by exactly one day.
 */

/** A calendar date. `month` is 1–12. */
export interface PlainDate {
  year: number;
  month: number;
  day: number;
}

/** A calendar date with a wall-clock time. */
export interface PlainDateTime extends PlainDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Day of the week as JavaScript numbers it: 0 is Sunday, 6 is Saturday. */
export type WeekdayIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * The UTC instant with these fields. Fields out of range carry over (day 32 is the
 * next month's 1st, hour 30 is 06:00 the next day), which is what arithmetic relies on.
 */
export function fieldsToUtc(f: Partial<PlainDateTime> & PlainDate): number {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn years 0–99 into 1900–1999.
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour ?? 0, f.minute ?? 0, f.second ?? 0, f.millisecond ?? 0);
  return d.getTime();
}

/** The fields of a UTC instant. */
export function utcToFields(ms: number): PlainDateTime & { weekday: WeekdayIndex } {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay() as WeekdayIndex,
  };
}

/** Number of days in a month (28–31). */
export function daysInMonth(year: number, month: number): number {
  return utcToFields(fieldsToUtc({ year, month: month + 1, day: 0 })).day;
}

/** The date `days` calendar days later. */
export function addDays(date: PlainDate, days: number): PlainDate {
  const f = utcToFields(fieldsToUtc({ year: date.year, month: date.month, day: date.day + days }));
  return { year: f.year, month: f.month, day: f.day };
}

/**
 * The date `months` calendar months later, with the day clamped to the last day of the
 * target month: Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year), never Mar 3.
 */
export function addMonths(date: PlainDate, months: number): PlainDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Day of the week of a date. */
export function weekdayOf(date: PlainDate): WeekdayIndex {
  return utcToFields(fieldsToUtc(date)).weekday;
}
