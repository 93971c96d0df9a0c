/**
 * CPU-bound work on every core: four shards of generated CSV are parsed, summed and
 * hashed by four tasks, which run side by side on worker threads; a report combines them.
 * The same pipeline runs in process with `--in-process`, for comparison.
 */
import { threadId } from "node:worker_threads";
import { Pipeline, type Task, task } from "little-pipelines";
import { type ShardSummary, generateCsv, summarise } from "./csv.js";

export const SHARDS = 4;
export const ROWS = Number(process.env.CPU_BOUND_ROWS ?? 100_000);

function shardTask(shard: number): Task<ShardSummary> {
  return task(`Shard${shard}`, {
    description: `Generates, parses and hashes CSV shard ${shard}`,
    run() {
      this.logger.info(`shard ${shard}: ${ROWS} rows on thread ${threadId}`);
      return summarise(shard, generateCsv(shard, ROWS));
    },
  });
}

export const shards = Array.from({ length: SHARDS }, (_, i) => shardTask(i));

export const report = task("Report", {
  dependencies: shards,
  async run() {
    const parts = await Promise.all(shards.map((s) => this.result(s)));
    const cents: Record<string, number> = {};
    for (const part of parts) for (const [region, c] of Object.entries(part.cents)) cents[region] = (cents[region] ?? 0) + c;
    const totals = Object.fromEntries(Object.entries(cents).sort().map(([region, c]) => [region, c / 100]));
    return { rows: parts.reduce((n, p) => n + p.rows, 0), totals, digests: parts.map((p) => p.digest.slice(0, 16)) };
  },
});

// CPU-bound tasks belong on worker threads: one per core.
export const pipeline = new Pipeline("CpuBound", { executor: "threads" }).add(report, shards);
export default pipeline;
