// The coordinator of the distributed benchmarks; prints the run's time, measured inside the process.
//   node distributed-coordinator.mjs <redis url> <concurrency> <pipeline name> <cpu|noop> <tasks>
import { bullmqExecutor, redisStore } from "../../packages/bullmq/dist/index.js";
import { report, since } from "../lib/report.mjs";
import { benchPipeline } from "./distributed-pipeline.mjs";

const [url, concurrency, name, kind, tasks] = process.argv.slice(2);
const pipeline = benchPipeline(name, kind, Number(tasks));
await pipeline.useStore(redisStore({ url }));
const executor = bullmqExecutor({ url });
await executor.connect(pipeline.name);
const start = performance.now();
const summary = await pipeline.execute({ executor, concurrency: Number(concurrency), handleSigint: false });
const run = since(start);
if (!summary.ok) throw new Error(`the run failed: ${JSON.stringify(summary.tasks.find((t) => t.error)?.error)}`);
await executor.close();
await pipeline.close();
report({ run, tasks: summary.tasks.length, workers: new Set(summary.tasks.map((t) => t.ranOn)).size });
