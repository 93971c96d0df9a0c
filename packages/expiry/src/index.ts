export { never, onComplete, session } from "@lp/core";
export { atMidnight } from "./strategies/at-midnight.js";
export { fromNow } from "./strategies/from-now.js";
export { fromToday } from "./strategies/from-today.js";
export { atDatetime } from "./strategies/at-datetime.js";
export { weekly } from "./strategies/weekly.js";
export { monthly } from "./strategies/monthly.js";
export { expire } from "./expire.js";
export { ExpiryArgumentError, ExpiryWarning } from "./errors.js";
export type { ExpiryErrorCode } from "./errors.js";

export type { ExpiryPolicy } from "@lp/core";
export type { AtDatetimeOptions } from "./strategies/at-datetime.js";
export type { TimeZoneOptions } from "./options.js";
export type { Duration } from "./calendar/duration.js";
export type { DateInput } from "./calendar/instant.js";
export type { WeekdayName } from "./calendar/weekdays.js";
