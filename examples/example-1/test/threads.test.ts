import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";

const dir = join(import.meta.dirname, "..");
const lp = join(dirname(createRequire(import.meta.url).resolve("little-pipelines/package.json")), "dist", "cli.js");

const run = (args: string[], home: string) =>
  execFileSync(process.execPath, args, { cwd: dir, env: { ...process.env, LP_HOME: home, NO_COLOR: "1" }, encoding: "utf8" });

it("runs unchanged on worker threads (lp run --threads), with the same results and caching", () => {
  const home = mkdtempSync(join(tmpdir(), "lp-example-1-threads-"));
  const cold = run([lp, "run", "pipeline.ts", "--threads", "2"], home);
  expect(cold).toContain("Pipeline complete! Ran 4/4 tasks in");
  const read = `import { pipeline, sum } from "./pipeline.ts"; console.log(JSON.stringify(await pipeline.getResult(sum)));`;
  expect(run(["--import", "tsx", "--input-type=module", "-e", read], home).trim()).toBe("6");
  const warm = run([lp, "run", "pipeline.ts", "--threads"], home);
  expect(warm).toMatch(/Pipeline complete! Ran 1\/4 tasks in \S+; cached 3/);
}, 60_000);
