import type { ExpiryPolicy } from "@lp/core";
import { expected } from "../errors.js";

/**
 * A policy from its label and a function of "now" in ms. The wrapper checks `now`, so a
 * bad clock fails with a message rather than as NaN deep in date arithmetic.
 */
export function definePolicy(strategy: string, label: string, compute: (now: number) => number): ExpiryPolicy {
  return Object.freeze({
    label,
    expiresAt(now: Date): number {
      const ms = now instanceof Date ? now.getTime() : Number.NaN;
      if (Number.isNaN(ms)) throw expected(strategy, "now", "a valid Date", now);
      return compute(ms);
    },
  });
}

/** `name`, or `name(a, b)` with the non-empty arguments. */
export function labelOf(name: string, ...args: (string | undefined)[]): string {
  const shown = args.filter((a): a is string => !!a);
  return shown.length === 0 ? name : `${name}(${shown.join(", ")})`;
}

/**
 * The first candidate strictly after `now`, trying k = from, from + 1, …; a candidate of
 * `undefined` is skipped. Strategies that step through days use it so that no quirk of a
 * zone (a midnight that happens twice, a skipped day) can yield an expiry at or before now.
 */
export function firstAfter(strategy: string, now: number, candidate: (k: number) => number | undefined, from = 0): number {
  for (let k = from; k < from + 800; k++) {
    const at = candidate(k);
    if (at === undefined) continue;
    if (Number.isNaN(at)) break;
    if (at > now) return at;
  }
  throw expected(strategy, "now", "a date whose next expiry a Date can hold", new Date(now));
}
