// An array of 1,000,000 small records returned by a task (default serializer) and read
// back by a later process: the write is the run that stores it, the read a getResult().
// node scenarios/records.mjs <dir> <write|read>
import { CacacheStore, Pipeline, Task, silentLogger } from "../lib/packages.mjs";
import { report, since } from "../lib/report.mjs";

const [dir, mode] = process.argv.slice(2);
const COUNT = 1_000_000;
const records = () => Array.from({ length: COUNT }, (_, i) => ({ id: i, name: `item-${i}`, value: i * 0.5, ok: i % 3 === 0 }));

const pipeline = new Pipeline("Records", { store: new CacacheStore({ dir }), logger: silentLogger() });
const data = mode === "write" ? records() : undefined;
pipeline.add(new Task("Records", { codeHash: false, run: () => data }));
const t = performance.now();
if (mode === "write") {
  const summary = await pipeline.execute();
  if (summary.totals.executed !== 1) throw new Error(JSON.stringify(summary.totals));
} else {
  const got = await pipeline.getResult("Records");
  if (got.length !== COUNT || got[COUNT - 1].name !== `item-${COUNT - 1}`) throw new Error("read back the wrong records");
}
const ms = since(t);
await pipeline.close();
report({ ms });
