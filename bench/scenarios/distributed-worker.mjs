// A worker process of the distributed benchmarks:
//   node distributed-worker.mjs <redis url> <concurrency> <pipeline name> <cpu|noop> <tasks>
import { startWorker } from "../../packages/bullmq/dist/index.js";
import { benchPipeline } from "./distributed-pipeline.mjs";

const [url, concurrency, name, kind, tasks] = process.argv.slice(2);
const pipeline = benchPipeline(name, kind, Number(tasks));
const worker = await startWorker(pipeline, { url, concurrency: Number(concurrency) });
console.log("ready");
process.once("SIGTERM", () => void worker.close().then(() => process.exit(0)));
