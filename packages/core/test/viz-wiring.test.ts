import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { task } from "../src/index.js";
import { quietPipeline, tempDir } from "./helpers.js";

it("execute({ report }) writes the HTML report, and the graph text carries the last run's states", async () => {
  const { pipeline } = quietPipeline("Wired");
  pipeline.add(task("A", { run: () => 1 }), task("B", { dependencies: ["A"], run() { throw new Error("no"); } }));
  expect(pipeline.toMermaid()).toContain("-->");
  const path = join(tempDir(), "out", "run.html");
  await pipeline.execute({ report: path });
  const html = readFileSync(path, "utf8");
  expect(html).toMatch(/^<!DOCTYPE html>/i);
  expect(html).toContain('data-task="A"');
  expect(html).toContain('data-state="failed"');
  expect(pipeline.toDot()).toMatch(/"B"[^\n]*failed|failed[^\n]*"B"/);
  expect(pipeline.toMermaid()).toMatch(/class \S+ failed/);
});
