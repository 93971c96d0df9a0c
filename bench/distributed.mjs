// Benchmarks of distributed runs (@lp/bullmq + @lp/redis) on one machine, against a
// redis-server started for the purpose on a free port.
//
//   pnpm build && node bench/distributed.mjs [--runs 3] [--no-write]
//
// - CPU-bound: 16 tasks of about 0.2 s of CPU each (on an idle core), on 1, 2 and 4 worker processes
//   (concurrency 1 each); the speedup is against one worker.
// - Overhead: 1,000 no-op tasks on one worker process (concurrency 32), the run's time
//   per task: enqueueing, the worker's round trip and saving each result in Redis.
// Figures go to stdout and, unless --no-write, into bench/README.md between its
// distributed markers.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startRedisServer } from "../packages/redis/dist/testing.js";
import { fmt, median, runScenario } from "./lib/measure.mjs";

const { values: opts } = parseArgs({ options: { runs: { type: "string", default: "3" }, "no-write": { type: "boolean", default: false } } });
const RUNS = Number(opts.runs);
const server = await startRedisServer();
let fresh = 0;
const lines = [];
const out = (line = "") => {
  lines.push(line);
  console.log(line);
};

function startWorkers(n, concurrency, args) {
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = spawn(process.execPath, [fileURLToPath(new URL("./scenarios/distributed-worker.mjs", import.meta.url)), server.url, String(concurrency), ...args], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      return new Promise((resolve, reject) => {
        child.stdout.setEncoding("utf8").on("data", (c) => c.includes("ready") && resolve(child));
        child.on("exit", (code) => reject(new Error(`a worker exited with ${code}`)));
      });
    }),
  );
}

async function stopWorkers(workers) {
  await Promise.all(workers.map((w) => new Promise((resolve) => (w.removeAllListeners("exit"), w.once("exit", resolve), w.kill("SIGTERM")))));
}

/** One coordinator run on `workers` fresh worker processes; a new pipeline name each time, so nothing is cached. */
async function measure(kind, tasks, workers, concurrency, runConcurrency) {
  const args = [`Bench${process.pid}-${fresh++}`, kind, tasks];
  const procs = await startWorkers(workers, concurrency, args);
  try {
    return await runScenario("distributed-coordinator", [server.url, runConcurrency, ...args]);
  } finally {
    await stopWorkers(procs);
  }
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");
const loadBefore = load();
try {
  out(`Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, Node ${process.version}, one local redis-server, median of ${RUNS} runs.`);
  out();
  out("### CPU-bound tasks on worker processes");
  out();
  out("16 tasks of about 0.2 s of CPU each; each worker process runs one at a time. Time of the run, in the coordinator.");
  out();
  out("| worker processes | run, s | speedup |");
  out("|---:|---:|---:|");
  // Interleaved (1, 2, 4, 1, 2, 4 …) so that a change in the machine's load falls on every count alike.
  const counts = [1, 2, 4];
  const cpuRuns = new Map(counts.map((w) => [w, []]));
  for (let r = 0; r < RUNS; r++) for (const workers of counts) cpuRuns.get(workers).push((await measure("cpu", 16, workers, 1, 16)).run);
  const one = median(cpuRuns.get(1));
  for (const workers of counts) {
    const run = median(cpuRuns.get(workers));
    out(`| ${workers} | ${(run / 1000).toFixed(2)} | ${(one / run).toFixed(2)}× |`);
  }
  out();
  out("### Per-task overhead");
  out();
  out("1,000 no-op tasks, one worker process with concurrency 32, the run's concurrency 32: the run's time divided by the tasks.");
  out();
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push((await measure("noop", 1000, 1, 32, 32)).run);
  const run = median(runs);
  out(`| tasks | run, ms | per task, ms |`);
  out(`|---:|---:|---:|`);
  out(`| 1,000 | ${fmt(run)} | ${(run / 1000).toFixed(2)} |`);
  out();
  out(`Load average (1, 5, 15 min) at the start: ${loadBefore}; at the end: ${load()}. The machine was shared with other work while measuring.`);
} finally {
  await server.stop();
}

if (!opts["no-write"]) {
  const readme = new URL("./README.md", import.meta.url);
  const text = readFileSync(readme, "utf8");
  const start = "<!-- distributed:start -->";
  const end = "<!-- distributed:end -->";
  const body = `${start}\n${lines.join("\n")}\n${end}`;
  writeFileSync(readme, text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), body) : `${text.trimEnd()}\n\n## Distributed runs\n\n${body}\n`);
}
