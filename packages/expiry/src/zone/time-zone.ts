import { closestName } from "@lp/core/internal";
import { expected } from "../errors.js";

let local: { env: string | undefined; zone: string } | undefined;

/**
 * The process's own time zone, looked up again whenever `TZ` changes so that a policy
 * defined before `process.env.TZ` is set still follows it.
 */
export function localTimeZone(): string {
  const env = process.env.TZ;
  if (!local || local.env !== env) {
    local = { env, zone: new Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC" };
  }
  return local.zone;
}

/**
 * Checks a `timeZone` option and returns its canonical IANA name (`us/mountain` gives
 * `America/Denver`), or `undefined` for the local zone.
 * @throws ExpiryArgumentError for anything Intl does not know as a time zone
 */
export function resolveTimeZone(strategy: string, timeZone: unknown): string | undefined {
  if (timeZone === undefined) return undefined;
  const what = 'an IANA time zone name such as "America/Denver" or "UTC"';
  if (typeof timeZone !== "string" || timeZone.trim() === "") throw expected(strategy, "timeZone", what, timeZone);
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    const suggestion = closestName(timeZone, Intl.supportedValuesOf("timeZone"));
    const hint = suggestion ? `Did you mean "${suggestion}"?` : "Intl.supportedValuesOf(\"timeZone\") lists the names this runtime knows.";
    throw expected(strategy, "timeZone", what, timeZone, hint);
  }
}
