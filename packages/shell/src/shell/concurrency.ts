import { UsageError } from "../errors.js";

/**
 * A `--concurrency` value as the API takes it: a whole number from 1 up, or `Infinity`
 * (also `inf`, `unlimited`) for no limit.
 * @throws UsageError with the accepted values, like the API's message
 */
export function parseConcurrency(command: string, usage: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const typed = value.trim().toLowerCase();
  if (typed === "infinity" || typed === "inf" || typed === "unlimited") return Number.POSITIVE_INFINITY;
  const n = Number(typed);
  if (typed === "" || !Number.isInteger(n) || n < 1) {
    throw new UsageError(command, `--concurrency must be a whole number from 1 up, or Infinity for no limit, got "${value}".`, usage);
  }
  return n;
}
