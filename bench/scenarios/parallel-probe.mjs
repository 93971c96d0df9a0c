// The machine's own ceiling for the CPU table: the same kind of hashing done twice, one
// after the other and then on two bare worker threads (no little-pipelines at all).
// On a shared machine the second core is not always there; this says how much of it was.
// node scenarios/parallel-probe.mjs
import { createHash } from "node:crypto";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { report, since } from "../lib/report.mjs";

function work() {
  let h = "x";
  for (let i = 0; i < 300_000; i++) h = createHash("sha256").update(h).digest("hex");
  return h;
}

if (isMainThread) {
  let start = performance.now();
  work();
  work();
  const sequential = since(start);
  start = performance.now();
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url));
          worker.once("message", resolve).once("error", reject);
        }),
    ),
  );
  const parallel = since(start);
  report({ sequential, parallel, ratio: sequential / parallel });
} else {
  work();
  parentPort.postMessage("done");
}
