// N no-op tasks through the umbrella package with every default a user gets: the cacache
// store, console output (piped here) and file logs under LP_HOME, `codeHash: "module"`.
// "engine" switches the logger off, for the engine alone.
//
// node scenarios/defaults.mjs <defaults|engine> <chain|fan|empty> <n> <home> <cold|warm>
import { Pipeline, Task, silentLogger } from "../../packages/little-pipelines/dist/index.js";
import { report, since } from "../lib/report.mjs";

const [mode, shape, count, home, phase] = process.argv.slice(2);
const n = Number(count);
process.env.LP_HOME = home;

const start = performance.now();
const pipeline = new Pipeline(`bench-${shape}-${n}`, mode === "engine" ? { logger: silentLogger() } : {});
if (shape !== "empty") {
  const tasks = [];
  for (let i = 0; i < n; i++) {
    const dependencies = i === 0 ? [] : shape === "chain" ? [`t${i - 1}`] : ["t0"];
    tasks.push(new Task(`t${i}`, { dependencies, run: () => i }));
  }
  pipeline.add(tasks);
  const summary = await pipeline.execute();
  const expected = phase === "cold" ? summary.totals.executed : summary.totals.cached;
  if (expected !== n || !summary.ok) throw new Error(`${phase} run: ${JSON.stringify(summary.totals)}`);
}
await pipeline.close();
report({ ms: since(start), rssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
