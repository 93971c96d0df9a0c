import { describe, expect, it } from "vitest";
import { utf8Of } from "../src/journal/record.js";

describe("reading text out of a journal record", () => {
  it("reads any range of whole numbers as Buffer#toString does, clipped to the buffer", () => {
    const buf = Buffer.from("aé✓😀z", "utf8");
    for (let start = 0; start <= buf.length + 2; start++) {
      for (let end = 0; end <= buf.length + 2; end++) {
        expect(utf8Of(buf, start, end), `${start}..${end}`).toBe(buf.toString("utf8", start, end));
      }
    }
  });
});
