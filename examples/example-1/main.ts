import { pipeline, sum } from "./pipeline.js";

const summary = await pipeline.execute();
console.log("Final Result:", await pipeline.getResult(sum)); // 6
if (process.argv.includes("--json")) console.log(JSON.stringify(summary));
process.exitCode = summary.ok ? 0 : 1;
