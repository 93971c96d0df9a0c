import { closestName } from "@lp/core/internal";
import { ExpiryArgumentError, expected } from "./errors.js";
import { resolveTimeZone } from "./zone/time-zone.js";

/** Options every calendar strategy takes. */
export interface TimeZoneOptions {
  /**
   * IANA time zone whose calendar and wall clock the strategy follows, for example
   * `"America/Denver"` for "midnight in Denver" on a server that runs on UTC.
   * @default the process's local time zone (`TZ`), looked up each time an expiry is computed
   */
  timeZone?: string;
}

/** What `checkOptions` hands back: the options with the time zone resolved. */
export interface CheckedOptions {
  /** Canonical zone name, or `undefined` for the local zone. */
  timeZone: string | undefined;
}

/**
 * Checks a strategy's options object: an object (or nothing) with known keys only, so
 * that `{ timezone: … }` is caught instead of silently ignored.
 * @throws ExpiryArgumentError naming the unknown key or the bad value
 */
export function checkOptions(strategy: string, options: unknown, allowed: readonly string[]): CheckedOptions {
  if (options === undefined) return { timeZone: undefined };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw expected(strategy, "options", `an object with ${allowed.map((k) => `\`${k}\``).join(", ")}`, options);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const suggestion = closestName(key, allowed);
      throw new ExpiryArgumentError(
        strategy,
        key,
        `unknown option \`${key}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ""} Options are ${allowed.map((k) => `\`${k}\``).join(", ")}.`,
      );
    }
  }
  return { timeZone: resolveTimeZone(strategy, (options as TimeZoneOptions).timeZone) };
}
