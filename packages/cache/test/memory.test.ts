import { expect, it } from "vitest";
import { runChild, tempDir } from "./helpers.js";

it("a run holds the results in use, not all of them: peak memory stays below their sum", { timeout: 120_000 }, async () => {
  // Eight 48 MiB results (384 MiB in all) at concurrency 1, each read by the next.
  const run = await runChild("memory-run.mjs", [tempDir()]);
  expect(run.stderr).toBe("");
  const [ok, peakMiB] = run.lines[0]!.split(" ");
  expect(ok).toBe("true");
  expect(Number(peakMiB)).toBeLessThan(8 * 48);
});
