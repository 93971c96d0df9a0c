import { existsSync } from "node:fs";
import { join } from "node:path";
import { generateFolder } from "./csv.js";
import { folder, pipeline, summary } from "./pipeline.js";

if (!existsSync(join(folder, "data"))) generateFolder(folder, 20);
const result = await pipeline.execute();
const clean = result.tasks.find((t) => t.name === "Clean");
const branches = clean?.branches;
console.log(branches ? `Clean: ${branches.ran} of ${branches.total} files cleaned, ${branches.cached} cached` : `Clean: ${clean?.state}`);
console.log("Summary:", JSON.stringify(await pipeline.getResult(summary)));
if (process.argv.includes("--json")) console.log(JSON.stringify(result));
process.exitCode = result.ok ? 0 : 1;
