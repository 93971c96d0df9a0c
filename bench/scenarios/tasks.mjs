// N no-op tasks, as a chain (each depends on the one before) or a wide fan-out (one root,
// every other task depends on it), on the cacache store or the in-memory store.
//
// node scenarios/tasks.mjs <memory|cacache|cacache-nosync> <chain|fan> <n> <dir> <phases>
//   phases: "cold" (one run), "warm" (one run, expecting everything cached),
//           "cold,warm" (both in this process: the in-memory store's only way to be warm)
import { CacacheStore, MemoryStore, Pipeline, Task, silentLogger } from "../lib/packages.mjs";
import { report, since } from "../lib/report.mjs";

const [storeKind, shape, count, dir, phases = "cold"] = process.argv.slice(2);
const n = Number(count);

const start = performance.now();
const store =
  storeKind === "memory" ? new MemoryStore() : new CacacheStore({ dir, fsync: storeKind !== "cacache-nosync" });
const pipeline = new Pipeline(`bench-${shape}-${n}`, { store, logger: silentLogger() });
const tasks = [];
for (let i = 0; i < n; i++) {
  const dependencies = i === 0 ? [] : shape === "chain" ? [`t${i - 1}`] : ["t0"];
  // Returns its number: an empty result would be expired at the end of each run. The code
  // fingerprint covers the task's own processes, not the module graph, so that rebuilding
  // the packages between a cold and a warm run does not make every task outdated.
  tasks.push(new Task(`t${i}`, { dependencies, codeHash: "processes", run: () => i }));
}
pipeline.add(tasks);
const figures = { build: since(start) };
for (const phase of phases.split(",")) {
  const t = performance.now();
  const summary = await pipeline.execute();
  figures[phase] = since(t);
  const expected = phase === "cold" ? summary.totals.executed : summary.totals.cached;
  if (expected !== n || !summary.ok) throw new Error(`${phase} run: ${JSON.stringify(summary.totals)}`);
}
const t = performance.now();
await pipeline.close();
figures.close = since(t);
report(figures);
