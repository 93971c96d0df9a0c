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

it("runs unchanged on worker threads (lp run --threads), with the same result", () => {
  const home = mkdtempSync(join(tmpdir(), "lp-example-2-threads-"));
  expect(run([lp, "run", "pipeline.ts", "--threads"], home)).toContain("Pipeline complete! Ran 2/2 tasks in");
  const read = `import { pipeline, one } from "./pipeline.ts"; console.log(JSON.stringify(await pipeline.getResult(one)));`;
  expect(JSON.parse(run(["--import", "tsx", "--input-type=module", "-e", read], home))).toEqual(["Some", "values", "more", "values", "OK"]);
}, 60_000);
