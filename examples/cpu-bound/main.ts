import { pipeline, report } from "./pipeline.js";

const inProcess = process.argv.includes("--in-process");
const summary = await pipeline.execute({ force: process.argv.includes("--force"), ...(inProcess ? { executor: "in-process" } : {}) });
console.log("Report:", JSON.stringify(await pipeline.getResult(report)));
if (process.argv.includes("--json")) console.log(JSON.stringify(summary));
process.exitCode = summary.ok ? 0 : 1;
