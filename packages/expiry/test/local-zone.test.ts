import { afterEach, describe, expect, it } from "vitest";
import { atMidnight, fromNow, monthly, weekly } from "../src/index.js";

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

const at = (iso: string) => new Date(iso);
const iso = (ms: number | null) => new Date(ms!).toISOString();

describe("without a timeZone, strategies follow the process's local zone", () => {
  it("uses TZ as it is when the expiry is computed", () => {
    const midnight = atMidnight();
    process.env.TZ = "America/Denver";
    expect(iso(midnight.expiresAt(at("2025-03-08T19:00:00Z")))).toBe("2025-03-09T07:00:00.000Z");
    process.env.TZ = "Asia/Tokyo";
    expect(iso(midnight.expiresAt(at("2025-03-08T19:00:00Z")))).toBe("2025-03-09T15:00:00.000Z");
    expect(midnight.label).toBe("atMidnight");
  });

  it("keeps local wall-clock times across Denver's daylight-saving changes", () => {
    process.env.TZ = "America/Denver";
    expect(iso(fromNow({ days: 1 }).expiresAt(at("2025-11-01T18:00:00Z")))).toBe("2025-11-02T19:00:00.000Z");
    expect(iso(weekly(["Sun"]).expiresAt(at("2025-03-08T19:00:00Z")))).toBe("2025-03-09T07:00:00.000Z");
    expect(iso(monthly([3]).expiresAt(at("2025-11-02T19:00:00Z")))).toBe("2025-11-03T07:00:00.000Z");
  });

  it("lets an explicit timeZone win over TZ", () => {
    process.env.TZ = "Asia/Tokyo";
    expect(iso(atMidnight({ timeZone: "America/Denver" }).expiresAt(at("2025-03-08T19:00:00Z")))).toBe("2025-03-09T07:00:00.000Z");
  });
});
