import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runChild, tempDir } from "./helpers.js";

describe("cacache itself", () => {
  it("is not loaded by runs that store and read results, only to stream a big one", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const run = await runChild("load-watch.mjs", [join(dir, "store"), join(dir, "loads.log")]);
    expect(run.stderr).toBe("");
    expect(run.lines).toEqual(["cold executed 20 cached 0", "warm executed 0 cached 20", "got 200000 true", "end"]);

    // The hook does see cacache when it is used.
    const streamed = await runChild("load-watch.mjs", [join(dir, "store2"), join(dir, "loads2.log"), "stream"]);
    expect(streamed.stderr).toBe("");
    expect(streamed.lines).toContain("streamed 200000");
    expect(streamed.lines.filter((l) => l.startsWith("loaded ") && l.includes("cacache")).length).toBeGreaterThan(0);
  });
});
