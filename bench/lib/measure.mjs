import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const scenarioPath = (name) => fileURLToPath(new URL(`../scenarios/${name}.mjs`, import.meta.url));

/**
 * Runs a scenario in its own node process and measures it whole, from spawn to exit.
 * Resolves with the wall time and the figures the scenario printed on its last line.
 */
export async function runScenario(name, args) {
  const { wall, out } = await spawnWhole(process.execPath, [scenarioPath(name), ...args.map(String)], {}, name);
  return { wall, ...JSON.parse(out.trim().split("\n").at(-1)) };
}

/** Spawns a command, collects its output and times it from spawn to exit; rejects on a non-zero exit. */
function spawnWhole(command, args, options, label = command) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
    child.on("error", reject);
    child.on("close", (code) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${label} ${args.join(" ")} exited with ${code}:\n${err.slice(-2000)}`));
      resolve({ wall, out, err });
    });
  });
}

export function median(values) {
  const sorted = values.filter((v) => typeof v === "number").sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of each numeric field over several results. */
export function medians(results) {
  const keys = new Set(results.flatMap((r) => Object.keys(r)));
  return Object.fromEntries([...keys].map((k) => [k, median(results.map((r) => r[k]))]));
}

export const fmt = (ms) => (ms === undefined ? "–" : ms >= 100 ? `${Math.round(ms)}` : ms.toFixed(1));

/**
 * Runs any command and measures it whole: wall time from spawn to exit, peak memory (maximum
 * resident set size, from GNU time) and CPU time, so that a peer is measured as our scenarios are.
 */
export async function runProcess(command, args, options = {}) {
  const timeArgs = ["-f", "LP_MAXRSS_KB=%M LP_CPU_S=%U+%S", command, ...args.map(String)];
  const { wall, out, err } = await spawnWhole("/usr/bin/time", timeArgs, options, command);
  const kb = Number(/LP_MAXRSS_KB=(\d+)/.exec(err)?.[1]);
  const cpu = /LP_CPU_S=([\d.]+)\+([\d.]+)/.exec(err);
  // CPU time (user + system, 10 ms resolution) varies less than wall time on a loaded machine.
  const cpuMs = cpu ? Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000) : undefined;
  return { wall, rssMb: Math.round(kb / 1024), cpuMs, out };
}

/** The heading of the table that compares the defaults with an earlier build (`--before`). */
export function beforeTableHead(out) {
  out();
  out("The defaults against an earlier build (`--before`), interleaved in the same rounds: wall time and CPU time (user + system) of the whole process, ms.");
  out();
  out("| workload | wall, before | wall, now | now / before | CPU, before | CPU, now | now / before |");
  out("|---|---:|---:|---:|---:|---:|---:|");
}
