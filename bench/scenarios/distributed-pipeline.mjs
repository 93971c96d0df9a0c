// The pipeline of the distributed benchmarks, built alike in the coordinator and the workers.
import { Pipeline, Task, silentLogger } from "../lib/packages.mjs";

/** About 0.2 s of CPU on this machine, the same work every time. */
function spin() {
  let x = 0;
  for (let i = 0; i < 120_000_000; i++) x = (x * 31 + i) | 0;
  return x;
}

/** `count` independent tasks, `cpu` or `noop`; a fresh `name` per run, so nothing is cached. */
export function benchPipeline(name, kind, count) {
  const pipeline = new Pipeline(name, { logger: silentLogger() });
  for (let i = 0; i < count; i++) pipeline.add(new Task(`T${i}`, { run: kind === "cpu" ? spin : () => i }));
  return pipeline;
}
