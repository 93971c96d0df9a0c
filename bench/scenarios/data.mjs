// Big results through the umbrella package with every default a user gets (the cacache
// store, console output piped here, file logs under LP_HOME): 1,000,000 small records or a
// 100 MB Buffer returned by a task, then read back with getResult(). "v8" gives the task
// the v8 serializer, the default before MessagePack, for a before/after ratio.
//
// node scenarios/data.mjs <records|buffer> <write-read|read> <home> [default|v8]
import { Pipeline, Task, v8Serializer } from "../../packages/little-pipelines/dist/index.js";
import { report, since } from "../lib/report.mjs";

const [kind, mode, home, serializer = "default"] = process.argv.slice(2);
process.env.LP_HOME = home;
const COUNT = 1_000_000;
const SIZE = 100 * 1024 * 1024;

const make = () => {
  if (kind === "records") return Array.from({ length: COUNT }, (_, i) => ({ i, payload: "x".repeat(80) + i }));
  const buf = Buffer.allocUnsafe(SIZE);
  for (let i = 0; i < SIZE; i += 4096) buf.writeUInt32LE((i * 2654435761) >>> 0, i);
  return buf;
};
const check = (got) => {
  const ok = kind === "records" ? got.length === COUNT && got[COUNT - 1].payload === "x".repeat(80) + (COUNT - 1) : got.byteLength === SIZE && got.readUInt32LE(4096) === (4096 * 2654435761) >>> 0;
  if (!ok) throw new Error(`read back the wrong ${kind}`);
};

const start = performance.now();
const pipeline = new Pipeline(`data-${kind}`);
const options = { codeHash: false, ...(serializer === "v8" ? { serializer: v8Serializer } : {}) };
let made;
pipeline.add(new Task("Data", { ...options, run: () => made }));
let written;
if (mode === "write-read") {
  made = make();
  const t = performance.now();
  const summary = await pipeline.execute();
  if (summary.totals.executed !== 1) throw new Error(JSON.stringify(summary.totals));
  written = since(t);
}
const t = performance.now();
check(await pipeline.getResult("Data"));
const read = since(t);
await pipeline.close();
report({ ms: since(start), run: written, read, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
