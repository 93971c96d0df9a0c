// CPU-bound tasks: each generates a CSV shard, parses it, adds up amounts per region and
// hashes every row (about a second of work per task at 120,000 rows), on the in-memory
// store. Run in process or on worker threads, one per core.
// node scenarios/cpu.mjs <in-process|threads> <tasks> <rows>
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Pipeline, Task, silentLogger, threadsExecutor } from "../lib/packages.mjs";
import { report, since } from "../lib/report.mjs";

// Workers import this file for its tasks: they get the arguments through the environment.
if (process.argv.length > 2) process.env.LP_BENCH_CPU = JSON.stringify(process.argv.slice(2));
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set just above, read back in the worker threads
const [executorName, tasksArg, rowsArg] = JSON.parse(process.env.LP_BENCH_CPU);
const tasks = Number(tasksArg);
const rows = Number(rowsArg);

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shard(i) {
  const next = random(i + 1);
  const regions = ["north", "south", "east", "west"];
  const cents = {};
  const all = createHash("sha256");
  for (let r = 0; r < rows; r++) {
    const line = `${i}-${r},${regions[Math.floor(next() * 4)]},${(next() * 1000).toFixed(2)},note ${Math.floor(next() * 1e9).toString(36)}`;
    const [, region, amount] = line.split(",");
    cents[region] = (cents[region] ?? 0) + Math.round(Number(amount) * 100);
    let h = line;
    for (let round = 0; round < 8; round++) h = createHash("sha256").update(h).digest("hex");
    all.update(h);
  }
  return { cents, digest: all.digest("hex") };
}

const start = performance.now();
const list = Array.from({ length: tasks }, (_, i) => new Task(`Shard${i}`, { run: () => shard(i) }));
const executor = executorName === "threads" ? threadsExecutor() : "in-process";
const pipeline = new Pipeline("Cpu", { logger: silentLogger(), executor }).add(list);
const runStart = performance.now();
const summary = await pipeline.execute();
const run = since(runStart);
if (typeof executor === "object") await executor.close();
if (!summary.ok) throw new Error(`CPU benchmark failed: ${JSON.stringify(summary.tasks.map((t) => t.error))}`);
report({ run, total: since(start), threads: executorName === "threads" ? availableParallelism() : 1 });
