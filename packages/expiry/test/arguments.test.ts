import { type ExpiryPolicy, InvalidOptionError, LpError } from "@lp/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { ExpiryArgumentError, atDatetime, atMidnight, expire, fromNow, fromToday, monthly, never, onComplete, session, weekly } from "../src/index.js";

/** Runs `define` and returns the ExpiryArgumentError it throws. */
function rejection(define: () => unknown): ExpiryArgumentError {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpiryArgumentError);
    expect(error).toBeInstanceOf(LpError);
    expect((error as ExpiryArgumentError).code).toBe("LP_INVALID_OPTION");
    return error as ExpiryArgumentError;
  }
  throw new Error("expected the definition to throw");
}

describe("bad arguments fail at definition time", () => {
  it.each([
    ["an unknown weekday", () => weekly(["Mon", "Funday"]), "weekly", "days[1]", /weekly\(\): expected `days\[1\]` to be an English weekday name .* got "Funday"\./],
    ["a one-letter weekday", () => weekly(["M"]), "weekly", "days[0]", /at least two letters/],
    ["a weekday that is not a string", () => weekly([1 as unknown as string]), "weekly", "days[0]", /got 1\./],
    ["no weekdays", () => weekly([]), "weekly", "days", /at least one weekday name/],
    ["day 0", () => monthly([0]), "monthly", "days[0]", /monthly\(\): expected `days\[0\]` to be a day of the month, a whole number from 1 to 31, got 0\./],
    ["day 32", () => monthly(32), "monthly", "days", /from 1 to 31, got 32\./],
    ["a fractional day", () => monthly([1, 15.5]), "monthly", "days[1]", /got 15\.5\./],
    ["no days of the month", () => monthly([]), "monthly", "days", /at least one day of the month/],
    ["a negative amount", () => fromNow({ hours: -1 }), "fromNow", "hours", /fromNow\(\): expected `hours` to be a whole number from 0 up, got -1\./],
    ["a fractional amount", () => fromToday({ days: 1.5 }), "fromToday", "days", /got 1\.5\./],
    ["an amount that is not a number", () => fromNow({ minutes: "5" as unknown as number }), "fromNow", "minutes", /got "5"\./],
    ["an unknown unit, with a suggestion", () => fromNow({ hour: 2 } as never), "fromNow", "hour", /unknown unit `hour`\. Did you mean `hours`\?/],
    ["an all-zero duration", () => fromNow({ hours: 0 }), "fromNow", "duration", /above zero/],
    ["an empty fromToday, pointing to atMidnight", () => fromToday({}), "fromToday", "duration", /above zero.* For the next midnight, use atMidnight\(\)\./],
    ["no duration at all", () => fromToday(undefined as never), "fromToday", "duration", /expected `duration` to be an object of whole amounts/],
    ["a duration beyond 10,000 years", () => fromNow({ years: 20_000 }), "fromNow", "duration", /at most 10,000 years, got 20000y/],
    ["an unknown time zone, with a suggestion", () => atMidnight({ timeZone: "America/Denvr" }), "atMidnight", "timeZone", /got "America\/Denvr"\. Did you mean "America\/Denver"\?/],
    ["a made-up time zone", () => weekly(["Mon"], { timeZone: "Mars/Olympus_Mons" }), "weekly", "timeZone", /IANA time zone name/],
    ["a misspelt option key", () => monthly([1], { timezone: "UTC" } as never), "monthly", "timezone", /unknown option `timezone`\. Did you mean `timeZone`\?/],
    ["options that are not an object", () => atMidnight("UTC" as never), "atMidnight", "options", /expected `options` to be an object/],
    ["an invalid Date", () => atDatetime(new Date("not a date")), "atDatetime", "date", /got an invalid Date\./],
    ["an unreadable date string", () => atDatetime("next tuesday"), "atDatetime", "date", /ISO 8601 string/],
    ["a day that does not exist", () => atDatetime("2025-02-30T00:00"), "atDatetime", "date", /to name a day and time that exist/],
    ["a clock that is not a function", () => atDatetime("2999-01-01", { clock: 5 as never }), "atDatetime", "clock", /a function returning the current Date/],
  ])("%s", (_what, define, strategy, argument, message) => {
    const error = rejection(define);
    expect(error.strategy).toBe(strategy);
    expect(error.argument).toBe(argument);
    expect(error.message).toMatch(message);
  });

  it("rejects an invalid `now` when computing, naming the strategy", () => {
    const error = rejection(() => atMidnight({ timeZone: "UTC" }).expiresAt(new Date(Number.NaN)));
    expect(error.message).toMatch(/^atMidnight\(\): expected `now` to be a valid Date/);
  });

  it("is core's InvalidOptionError (one class per code), named for the strategy's own errors", () => {
    const error = rejection(() => monthly([0]));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.name).toBe("ExpiryArgumentError");
    expect(error).toMatchObject({ where: "monthly()", option: "days[0]", strategy: "monthly", argument: "days[0]" });
  });
});

describe("labels", () => {
  it.each([
    [never(), "never"],
    [session(), "session"],
    [onComplete(), "onComplete"],
    [atMidnight(), "atMidnight"],
    [atMidnight({ timeZone: "America/Denver" }), "atMidnight(America/Denver)"],
    [atMidnight({ timeZone: "us/mountain" }), "atMidnight(America/Denver)"],
    [fromNow({ hours: 2 }), "fromNow(2h)"],
    [fromNow({ years: 1, months: 6, weeks: 1, days: 2, hours: 3, minutes: 4, seconds: 5 }), "fromNow(1y6mo1w2d3h4m5s)"],
    [fromToday({ days: 1, hours: 6 }, { timeZone: "UTC" }), "fromToday(1d6h, UTC)"],
    [weekly(["thursday", "MO", "Thurs"]), "weekly(Mon,Thu)"],
    [weekly(["Sun", "Sat", "Mon"]), "weekly(Mon,Sat,Sun)"],
    [weekly("fr", { timeZone: "America/Denver" }), "weekly(Fri, America/Denver)"],
    [monthly([15, 1, 15]), "monthly(1,15)"],
    [atDatetime("2999-11-01T06:00", { timeZone: "America/Denver" }), "atDatetime(2999-11-01T06:00, America/Denver)"],
    [atDatetime(new Date("2999-11-01T13:00:30.250Z")), "atDatetime(2999-11-01T13:00:30.250Z)"],
  ])("%#: %s", (policy: ExpiryPolicy, label) => {
    expect(policy.label).toBe(label);
  });
});

describe("the expire namespace", () => {
  it("holds every strategy, the basic ones being core's own", () => {
    expect(Object.keys(expire).sort()).toEqual(["atDatetime", "atMidnight", "fromNow", "fromToday", "monthly", "never", "onComplete", "session", "weekly"]);
    expect(expire.session().session).toBe(true);
    expect(expire.onComplete().onComplete).toBe(true);
    expect(expire.never().expiresAt(new Date())).toBeNull();
    expect(expire.weekly(["Mon"]).label).toBe("weekly(Mon)");
    expect(Object.isFrozen(expire)).toBe(true);
  });

  it("types every strategy as an ExpiryPolicy factory and weekdays as names", () => {
    expectTypeOf(expire.fromNow).returns.toEqualTypeOf<ExpiryPolicy>();
    expectTypeOf(expire.atMidnight).parameter(0).toEqualTypeOf<{ timeZone?: string } | undefined>();
    expectTypeOf(weekly).toBeCallableWith(["Mon", "thursday"]);
    expectTypeOf(monthly).toBeCallableWith([1, 15], { timeZone: "UTC" });
    // @ts-expect-error -- durations are objects of amounts
    expect(() => fromNow(5)).toThrow(ExpiryArgumentError);
  });

  it("makes policies immutable", () => {
    const p = weekly(["Mon"]);
    expect(Object.isFrozen(p)).toBe(true);
  });
});
