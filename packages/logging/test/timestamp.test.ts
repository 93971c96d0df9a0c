import { describe, expect, it } from "vitest";
import { timestamp } from "../src/render/file-line.js";

// Log lines share their second's text; every line must still carry its own time.
describe("log timestamps", () => {
  it("are each line's own local time, across seconds, minutes, days and back in time", () => {
    const times = [
      new Date(2025, 0, 31, 23, 59, 58, 7),
      new Date(2025, 0, 31, 23, 59, 58, 999),
      new Date(2025, 0, 31, 23, 59, 59, 0),
      new Date(2025, 1, 1, 0, 0, 0, 1),
      new Date(2025, 1, 1, 0, 0, 0, 500),
      new Date(2025, 0, 31, 23, 59, 58, 8),
      new Date(1969, 11, 31, 23, 59, 59, 250),
    ];
    expect(times.map(timestamp)).toEqual([
      "2025-01-31 23:59:58.007",
      "2025-01-31 23:59:58.999",
      "2025-01-31 23:59:59.000",
      "2025-02-01 00:00:00.001",
      "2025-02-01 00:00:00.500",
      "2025-01-31 23:59:58.008",
      "1969-12-31 23:59:59.250",
    ]);
  });
});
