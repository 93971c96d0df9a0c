import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// The built packages import core's public names from `@lp/core/internal` (one file fewer to
// resolve and load at start); a user imports them from `@lp/core`. Both must be the very same
// bindings, or `instanceof LpError` and a Task made with one would fail with the other.
it("@lp/core, @lp/core/internal and the umbrella give the same bindings of every public name", () => {
  const r = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `
      const core = await import("@lp/core");
      const internal = await import("@lp/core/internal");
      const umbrella = await import("little-pipelines");
      const names = Object.keys(core);
      // The umbrella's Pipeline is its own subclass that wires the defaults.
      const differ = names.filter((n) => internal[n] !== core[n] || (n in umbrella && n !== "Pipeline" && umbrella[n] !== core[n]));
      if (Object.getPrototypeOf(umbrella.Pipeline) !== core.Pipeline) differ.push("Pipeline's base class");
      const shared = names.filter((n) => n in umbrella).length;
      console.log(JSON.stringify({ count: names.length, shared, differ }));`,
    ],
    { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8" },
  );
  expect(r.stderr).toBe("");
  const { count, shared, differ } = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  expect(differ).toEqual([]);
  expect(count).toBeGreaterThan(40);
  expect(shared).toBeGreaterThan(40);
});

it("an error thrown by the store package is an LpError of @lp/core", () => {
  const r = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `
      const { LpError, InvalidOptionError } = await import("@lp/core");
      const { CacacheStore } = await import("@lp/cache");
      try { new CacacheStore({ path: 42 }); console.log("no error"); }
      catch (error) { console.log(JSON.stringify({ lp: error instanceof LpError, option: error instanceof InvalidOptionError, code: error.code })); }`,
    ],
    { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8" },
  );
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout.trim())).toEqual({ lp: true, option: true, code: "LP_INVALID_OPTION" });
});
