import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pipeline, task } from "@lp/core";
import { JsonDirStore } from "./json-dir-store.js";

const dir = process.env.LP_HOME ? join(process.env.LP_HOME, "custom-cache") : join(tmpdir(), "lp-custom-cache");
const store = new JsonDirStore(dir);

const numbers = task("Numbers", { run: () => [1, 2, 3, 4] });
const total = task("Total", {
  dependencies: [numbers],
  async run() {
    return (await this.result(numbers)).reduce((a, b) => a + b, 0);
  },
});

const pipeline = new Pipeline("CustomCache", { store }).add(numbers, total);
const summary = await pipeline.execute();
console.log(`Total: ${await pipeline.getResult(total)} (stored in ${dir})`);
process.exitCode = summary.ok ? 0 : 1;
