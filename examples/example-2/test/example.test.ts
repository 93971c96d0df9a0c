import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("prints the extended list, and the cached run prints the same", () => {
  const home = mkdtempSync(join(tmpdir(), "lp-example-2-"));
  const run = () =>
    execFileSync(process.execPath, ["--import", "tsx", "main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, LP_HOME: home, NO_COLOR: "1" },
      encoding: "utf8",
    });
  const expected = JSON.stringify(["Some", "values", "more", "values", "OK"]);
  const first = run();
  expect(first.trim().split("\n").at(-1)).toBe(expected);
  const second = run();
  expect(second.trim().split("\n").at(-1)).toBe(expected);
  expect(second).toMatch(/Zero\s+: SKIP : Using cached results/);
}, 30_000);
