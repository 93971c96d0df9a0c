import { one, pipeline } from "./pipeline.js";

const summary = await pipeline.execute();
console.log(JSON.stringify(await pipeline.getResult(one))); // ["Some","values","more","values","OK"]
process.exitCode = summary.ok ? 0 : 1;
