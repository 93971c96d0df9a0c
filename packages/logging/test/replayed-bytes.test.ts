import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { tempDir } from "./fixtures.js";
import { SETUPS, digestOf, replay } from "./replay.js";

/**
 * Digests of what the logger wrote for the recorded streams in each setup, taken from an
 * earlier build: the console output and every log file, byte for byte (timestamps kept,
 * as the epoch time they stand for). A faster path through the logger must write the same bytes.
 */
const expected = JSON.parse(readFileSync(new URL("./fixtures/replayed-digests.json", import.meta.url), "utf8")) as Record<string, string>;

describe("recorded run events replayed", () => {
  it("covers every setup", () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(SETUPS).sort());
  });

  for (const setup of Object.keys(SETUPS)) {
    it(`write the same console output and log files as before: ${setup}`, async () => {
      const dir = tempDir();
      const output = await replay(createLogger, setup, join(dir, "logs"));
      const digest = digestOf(output);
      if (digest !== expected[setup]) writeFileSync(join(dir, "..", `lp-replayed-${setup}.txt`), output);
      // On a mismatch, the output is kept beside the temporary folder to compare with the previous build's.
      expect(digest, `output kept in ${join(dir, "..", `lp-replayed-${setup}.txt`)}`).toBe(expected[setup]);
    });
  }
});
