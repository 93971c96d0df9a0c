import { describe, expect, it } from "vitest";
import { type ExpiryWarning, atDatetime } from "../src/index.js";

const clockAt = (iso: string) => () => new Date(iso);

describe("atDatetime", () => {
  it("expires at the given moment, whenever the result is stored", () => {
    const p = atDatetime(new Date("2030-06-01T12:00:00Z"), { clock: clockAt("2025-01-01T00:00:00Z") });
    expect(p.expiresAt(new Date("2025-01-01T00:00:00Z"))).toBe(Date.parse("2030-06-01T12:00:00Z"));
    expect(p.expiresAt(new Date("2030-06-01T11:59:59Z"))).toBe(Date.parse("2030-06-01T12:00:00Z"));
  });

  it.each([
    ["a number of ms", Date.parse("2030-01-01T00:00:00Z"), undefined, "2030-01-01T00:00:00.000Z"],
    ["a UTC string", "2030-01-01T06:30Z", undefined, "2030-01-01T06:30:00.000Z"],
    ["a string with an offset", "2030-01-01T06:30:15.5+02:00", undefined, "2030-01-01T04:30:15.500Z"],
    ["a compact offset", "2030-01-01 06:30-0700", undefined, "2030-01-01T13:30:00.000Z"],
    ["a wall-clock time in Denver (MST)", "2030-01-01T06:00", "America/Denver", "2030-01-01T13:00:00.000Z"],
    ["a wall-clock time in Denver (MDT)", "2030-07-01T06:00", "America/Denver", "2030-07-01T12:00:00.000Z"],
    ["a date alone is its midnight", "2030-07-01", "America/Denver", "2030-07-01T06:00:00.000Z"],
    ["a skipped wall-clock time moves forward", "2030-03-10T02:30", "America/Denver", "2030-03-10T09:30:00.000Z"],
    ["a repeated wall-clock time is the first", "2030-11-03T01:30", "America/Denver", "2030-11-03T07:30:00.000Z"],
    ["a leap day", "2028-02-29T00:00", "UTC", "2028-02-29T00:00:00.000Z"],
  ])("reads %s", (_what, input, timeZone, expectedIso) => {
    const p = atDatetime(input, { timeZone, clock: clockAt("2025-01-01T00:00:00Z") });
    expect(new Date(p.expiresAt(new Date("2025-01-01T00:00:00Z"))!).toISOString()).toBe(expectedIso);
  });

  it("reads a wall-clock string in the local zone by default", () => {
    const saved = process.env.TZ;
    process.env.TZ = "America/Denver";
    try {
      const p = atDatetime("2030-07-01T06:00", { clock: clockAt("2025-01-01T00:00:00Z") });
      expect(p.expiresAt(new Date())).toBe(Date.parse("2030-07-01T12:00:00Z"));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("rejects a leap day in a common year", () => {
    expect(() => atDatetime("2029-02-29")).toThrow(/atDatetime\(\): expected `date` to name a day and time that exist/);
  });

  it("warns through onWarning when the moment is already past, and still works", () => {
    const warnings: ExpiryWarning[] = [];
    const p = atDatetime("2024-12-31T23:00Z", { clock: clockAt("2025-01-01T00:00:00Z"), onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ name: "ExpiryWarning", code: "LP_EXPIRY_IN_PAST", strategy: "atDatetime" });
    expect(warnings[0]?.message).toMatch(/^atDatetime\(\): 2024-12-31T23:00Z is already past \(now is 2025-01-01T00:00Z\)/);
    expect(p.expiresAt(new Date("2025-01-01T00:00:00Z"))).toBe(Date.parse("2024-12-31T23:00:00Z"));
  });

  it("warns when the moment is exactly now, not when it is one ms ahead", () => {
    const warnings: ExpiryWarning[] = [];
    const onWarning = (w: ExpiryWarning) => warnings.push(w);
    atDatetime("2025-01-01T00:00:00.001Z", { clock: clockAt("2025-01-01T00:00:00Z"), onWarning });
    expect(warnings).toHaveLength(0);
    atDatetime("2025-01-01T00:00Z", { clock: clockAt("2025-01-01T00:00:00Z"), onWarning });
    expect(warnings).toHaveLength(1);
  });

  it("emits a process warning when no onWarning is given", async () => {
    const emitted = new Promise<Error>((resolve) => process.once("warning", resolve));
    atDatetime(new Date("2000-01-01T00:00:00Z"));
    const warning = await emitted;
    expect(warning.name).toBe("ExpiryWarning");
    expect((warning as ExpiryWarning).code).toBe("LP_EXPIRY_IN_PAST");
  });
});
