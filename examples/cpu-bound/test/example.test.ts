import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { RunSummary } from "little-pipelines";

const dir = join(import.meta.dirname, "..");

function run(home: string, ...args: string[]) {
  const out = execFileSync(process.execPath, ["--import", "tsx", "main.ts", "--json", ...args], {
    cwd: dir,
    env: { ...process.env, LP_HOME: home, NO_COLOR: "1", CPU_BOUND_ROWS: "20000" },
    encoding: "utf8",
  });
  const lines = out.trim().split("\n");
  const summary: RunSummary = JSON.parse(lines.at(-1)!);
  const report = JSON.parse(lines.at(-2)!.replace(/^Report: /, ""));
  const threads = [...out.matchAll(/rows on thread (\d+)/g)].map((m) => Number(m[1]));
  return { out, summary, report, threads };
}

it("hashes the CSV shards on worker threads, with the same report as in process, then serves it cached", () => {
  const home = mkdtempSync(join(tmpdir(), "lp-cpu-bound-"));
  const threaded = run(home);
  expect(threaded.summary.ok).toBe(true);
  expect(threaded.summary.totals.executed).toBe(5);
  expect(threaded.report.rows).toBe(80_000);
  expect(threaded.report.digests).toHaveLength(4);
  // Every shard ran on a worker thread (never the main one, id 0), and not all on the same one.
  expect(threaded.threads).toHaveLength(4);
  expect(threaded.threads.every((id) => id > 0)).toBe(true);
  expect(new Set(threaded.threads).size).toBeGreaterThan(1);

  const inProcess = run(home, "--in-process", "--force");
  expect(inProcess.threads).toEqual([0, 0, 0, 0]);
  expect(inProcess.report).toEqual(threaded.report);
  // Same bytes from either executor: nothing downstream was invalidated.
  expect(inProcess.summary.tasks.every((t) => t.unchanged)).toBe(true);

  const warm = run(home);
  expect(warm.summary.totals.cached).toBe(5);
  expect(warm.report).toEqual(threaded.report);
}, 120_000);
