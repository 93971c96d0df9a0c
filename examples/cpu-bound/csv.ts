/**
 * The computation: a deterministic CSV shard (as if read from a file), parsed and
 * summarised, every row hashed. Pure CPU work, no I/O.
 */
import { createHash } from "node:crypto";

const REGIONS = ["north", "south", "east", "west"] as const;

/** A small, fast, seeded random generator (mulberry32), so every run makes the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `rows` lines of `id,region,amount,note` after a header, the same for the same shard. */
export function generateCsv(shard: number, rows: number): string {
  const next = random(shard + 1);
  const lines = ["id,region,amount,note"];
  for (let i = 0; i < rows; i++) {
    const region = REGIONS[Math.floor(next() * REGIONS.length)]!;
    const amount = (next() * 1000).toFixed(2);
    lines.push(`${shard}-${i},${region},${amount},note ${Math.floor(next() * 1e9).toString(36)}`);
  }
  return lines.join("\n");
}

/** What a shard adds up to. */
export interface ShardSummary {
  shard: number;
  rows: number;
  /** Sum of `amount` per region, in cents. */
  cents: Record<string, number>;
  /** SHA-256 over every row's own SHA-256, in order: changes if any row does. */
  digest: string;
}

/** Parses a CSV shard, adds up amounts per region and hashes every row. */
export function summarise(shard: number, csv: string): ShardSummary {
  const [, ...lines] = csv.split("\n");
  const cents: Record<string, number> = {};
  const all = createHash("sha256");
  for (const line of lines) {
    const [, region, amount] = line.split(",");
    cents[region!] = (cents[region!] ?? 0) + Math.round(Number(amount) * 100);
    // Hashing each row a few rounds stands in for the real per-row work (parsing dates,
    // normalising names, joining) that makes analysts' pipelines CPU-bound.
    let row = line;
    for (let round = 0; round < 8; round++) row = createHash("sha256").update(row).digest("hex");
    all.update(row);
  }
  return { shard, rows: lines.length, cents, digest: all.digest("hex") };
}
