// A task mapped over a list of N numbers, on the cacache store or the in-memory store.
//
// node scenarios/map.mjs <memory|cacache> <n> <dir> <phase>
//   phase: "cold" (every branch runs), "warm" (the same list again: nothing runs),
//          "add-one" (N + 1 elements: exactly one branch runs)
import { CacacheStore, MemoryStore, Pipeline, Task, silentLogger } from "../lib/packages.mjs";
import { report, since } from "../lib/report.mjs";

const [storeKind, count, dir, phase = "cold"] = process.argv.slice(2);
const n = Number(count) + (phase === "add-one" ? 1 : 0);

const start = performance.now();
const store = storeKind === "memory" ? new MemoryStore() : new CacacheStore({ dir });
const pipeline = new Pipeline(`bench-map-${count}`, { store, logger: silentLogger() });
// The list's length is its version: a longer list is a new result, the rest is unchanged.
const items = new Task("Items", { codeHash: "processes", version: n, run: () => Array.from({ length: n }, (_, i) => i) });
const doubled = new Task("Doubled", { map: items, codeHash: "processes", run() { return this.item * 2; } });
pipeline.add(items, doubled);
const figures = { build: since(start) };
const t = performance.now();
const summary = await pipeline.execute();
figures.run = since(t);
const record = summary.tasks.find((x) => x.name === "Doubled");
const ran = record.branches?.ran ?? 0;
const expected = phase === "cold" ? n : phase === "add-one" ? 1 : 0;
if (!summary.ok || ran !== expected) throw new Error(`${phase}: ${ran} branches ran, expected ${expected} (${record.state})`);
figures.branchesRan = ran;
const c = performance.now();
await pipeline.close();
figures.close = since(c);
report(figures);
