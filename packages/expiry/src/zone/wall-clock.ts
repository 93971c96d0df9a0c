import { type PlainDate, type PlainDateTime, type WeekdayIndex, fieldsToUtc, utcToFields } from "../calendar/plain-date.js";

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Fixed locale, calendar and digits so the parts parse the same everywhere.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** How far the zone's wall clock is ahead of UTC at instant `ms`, in ms (Denver in winter: -7 h). */
export function offsetAt(ms: number, zone: string): number {
  const f: PlainDateTime = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let beforeChrist = false;
  for (const part of formatter(zone).formatToParts(ms)) {
    switch (part.type) {
      case "year":
      case "month":
      case "day":
      case "hour":
      case "minute":
      case "second":
        f[part.type] = Number(part.value);
        break;
      case "era":
        beforeChrist = part.value.startsWith("B");
        break;
    }
  }
  if (beforeChrist) f.year = 1 - f.year;
  // Some ICU versions write midnight as 24:00 of the same day.
  if (f.hour === 24) f.hour = 0;
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return fieldsToUtc(f) - wholeSecond;
}

/** The wall-clock date, time and weekday in `zone` at instant `ms`. */
export function toWallClock(ms: number, zone: string): PlainDateTime & { weekday: WeekdayIndex } {
  return utcToFields(ms + offsetAt(ms, zone));
}

/**
 * The instant at which `zone`'s wall clock shows `wall`. Daylight-saving changes make
 * some wall times happen twice and some never; this resolves them as RFC 5545 and
 * Temporal's "compatible" mode do:
 * - a repeated time (autumn) is its first occurrence;
 * - a skipped time (spring) is moved forward by the length of the gap (02:30 becomes 03:30).
 */
export function fromWallClock(wall: PlainDate & Partial<PlainDateTime>, zone: string): number {
  const naive = fieldsToUtc(wall);
  // The offsets in force a day either side bracket any transition near `wall`.
  const before = offsetAt(naive - DAY_MS, zone);
  const after = offsetAt(naive + DAY_MS, zone);
  let best: number | undefined;
  for (const candidate of [naive - before, naive - after]) {
    if (candidate + offsetAt(candidate, zone) === naive && (best === undefined || candidate < best)) best = candidate;
  }
  return best ?? naive - before;
}

/**
 * The first instant of `date` in `zone`: midnight, or the first time after it that
 * exists. `undefined` for a date the zone skipped entirely (Samoa's Dec 30, 2011).
 */
export function startOfDay(date: PlainDate, zone: string): number | undefined {
  const at = fromWallClock({ year: date.year, month: date.month, day: date.day }, zone);
  const wall = toWallClock(at, zone);
  return wall.year === date.year && wall.month === date.month && wall.day === date.day ? at : undefined;
}
