import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pipeline as CorePipeline, InvalidOptionError } from "@lp/core";
import { expect, it } from "vitest";
import { MemoryStore, Pipeline, silentLogger, task } from "../src/index.js";

it("execute({ report }) writes the HTML report, and the graph text carries the last run's states", async () => {
  const pipeline = new Pipeline("Wired", { store: new MemoryStore(), logger: silentLogger() });
  pipeline.add(task("A", { run: () => 1 }), task("B", { dependencies: ["A"], run() { throw new Error("no"); } }));
  expect(pipeline.toMermaid()).toContain("-->");
  const path = join(mkdtempSync(join(tmpdir(), "lp-umbrella-")), "out", "run.html");
  await pipeline.execute({ report: path });
  const html = readFileSync(path, "utf8");
  expect(html).toMatch(/^<!DOCTYPE html>/i);
  expect(html).toContain('data-task="A"');
  expect(html).toContain('data-state="failed"');
  expect(pipeline.toDot()).toMatch(/"B"[^\n]*failed|failed[^\n]*"B"/);
  expect(pipeline.toMermaid()).toMatch(/class \S+ failed/);
});

it("the engine's own Pipeline draws nothing and refuses a report instead of ignoring it", async () => {
  let runs = 0;
  const pipeline = new CorePipeline("Bare", { logger: silentLogger() }).add(task("A", { run: () => ++runs }));
  const options = { report: "run.html" } as Parameters<CorePipeline["execute"]>[0];
  await expect(pipeline.execute(options)).rejects.toThrow(InvalidOptionError);
  await expect(pipeline.execute(options)).rejects.toThrow(/report.*@lp\/viz/);
  expect(runs).toBe(0);
  expect("toMermaid" in pipeline).toBe(false);
});
