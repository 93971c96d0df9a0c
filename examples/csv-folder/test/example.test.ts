import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunSummary } from "little-pipelines";
import { expect, it } from "vitest";
import { generateFolder } from "../csv.js";

const dir = join(import.meta.dirname, "..");

function run(home: string, folder: string) {
  const out = execFileSync(process.execPath, ["--import", "tsx", "main.ts", "--json"], {
    cwd: dir,
    env: { ...process.env, LP_HOME: home, CSV_FOLDER_DIR: folder, NO_COLOR: "1" },
    encoding: "utf8",
  });
  const lines = out.trim().split("\n");
  const summary: RunSummary = JSON.parse(lines.at(-1)!);
  const totals = JSON.parse(lines.at(-2)!.replace(/^Summary: /, ""));
  const cleaned = [...out.matchAll(/cleaning (sales-\d+\.csv)/g)].map((m) => m[1]);
  return { out, summary, totals, cleaned, clean: summary.tasks.find((t) => t.name === "Clean")! };
}

it("cleans every file once, then nothing, then only the file that changed", () => {
  const home = mkdtempSync(join(tmpdir(), "lp-csv-folder-home-"));
  const folder = mkdtempSync(join(tmpdir(), "lp-csv-folder-data-"));
  generateFolder(folder, 12);

  const first = run(home, folder);
  expect(first.summary.ok).toBe(true);
  expect(first.clean.branches).toMatchObject({ total: 12, ran: 12, cached: 0 });
  expect(first.cleaned).toHaveLength(12);
  expect(first.totals).toMatchObject({ files: 12 });
  expect(first.totals.dropped).toBeGreaterThan(0);

  const second = run(home, folder);
  expect(second.summary.totals.cached).toBe(2);
  expect(second.cleaned).toEqual([]);
  expect(second.totals).toEqual(first.totals);

  appendFileSync(join(folder, "data", "sales-004.csv"), "2026-02-01,north,1000.00\n");
  const third = run(home, folder);
  expect(third.cleaned).toEqual(["sales-004.csv"]);
  expect(third.clean.branches).toMatchObject({ total: 12, ran: 1, cached: 11 });
  expect(third.totals.rows).toBe(first.totals.rows + 1);
  expect(third.totals.total).toBeCloseTo(first.totals.total + 1000, 2);
}, 120_000);
