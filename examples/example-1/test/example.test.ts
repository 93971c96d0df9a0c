import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { RunSummary } from "little-pipelines";

const dir = join(import.meta.dirname, "..");

function run(home: string): { out: string; summary: RunSummary } {
  const out = execFileSync(process.execPath, ["--import", "tsx", "main.ts", "--json"], {
    cwd: dir,
    env: { ...process.env, LP_HOME: home, NO_COLOR: "1" },
    encoding: "utf8",
  });
  const lines = out.trim().split("\n");
  return { out, summary: JSON.parse(lines.at(-1)!) };
}

it("runs cold with independent tasks side by side, then re-runs only TaskThree", () => {
  const home = mkdtempSync(join(tmpdir(), "lp-example-1-"));
  const cold = run(home);
  expect(cold.out).toContain("Final Result: 6");
  expect(cold.summary.totals.executed).toBe(4);
  const byName = Object.fromEntries(cold.summary.tasks.map((t) => [t.name, t]));
  // Side by side: the three independent tasks all started before the slowest one finished.
  for (const name of ["TaskOne", "TaskThree"]) expect(byName[name]!.startedAt!).toBeLessThan(byName.TaskTwo!.finishedAt!);
  expect(byName.TaskThree!.finishedAt!).toBeLessThan(byName.TaskTwo!.finishedAt!);
  expect(cold.summary.criticalPath).toEqual(["TaskTwo", "Sum"]);

  const warm = run(home);
  expect(warm.out).toContain("Final Result: 6");
  const states = Object.fromEntries(warm.summary.tasks.map((t) => [t.name, t.state]));
  expect(states).toEqual({ TaskOne: "cached", TaskTwo: "cached", TaskThree: "executed", Sum: "cached" });
}, 30_000);
