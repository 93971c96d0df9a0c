import { never, onComplete, session } from "@lp/core";
import { atDatetime } from "./strategies/at-datetime.js";
import { atMidnight } from "./strategies/at-midnight.js";
import { fromNow } from "./strategies/from-now.js";
import { fromToday } from "./strategies/from-today.js";
import { monthly } from "./strategies/monthly.js";
import { weekly } from "./strategies/weekly.js";

/**
 * Every expiry strategy under one name, as the umbrella package exposes them:
 * `expire.atMidnight()`, `expire.fromNow({ hours: 2 })`, `expire.weekly(["Mon", "Thu"])` …
 *
 * @example
 * import { expire } from "@lp/expiry";
 * task("Prices", { expire: expire.atMidnight({ timeZone: "America/Denver" }), run: fetchPrices });
 */
export const expire = Object.freeze({
  /** Kept until a fingerprint change. The default. */
  never,
  /** Lasts for this process only; a later process sees it as expired, even after a crash. */
  session,
  /** Expires when the pipeline run that stored it completes, also with failures. */
  onComplete,
  atMidnight,
  fromNow,
  fromToday,
  atDatetime,
  weekly,
  monthly,
});
