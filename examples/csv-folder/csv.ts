import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One cleaned file: its valid rows' count and amount, and how many rows were dropped. */
export interface CleanFile {
  file: string;
  rows: number;
  dropped: number;
  /** Sum of the valid rows' amounts, in cents (integers add up exactly). */
  cents: number;
}

/** Parses `date,region,amount` rows; a row without a positive amount or a region is dropped. */
export function cleanCsv(file: string, text: string): CleanFile {
  const lines = text.trim().split("\n").slice(1);
  let rows = 0;
  let cents = 0;
  for (const line of lines) {
    const [, region, amount] = line.split(",");
    const value = Number(amount);
    if (!region?.trim() || !(value > 0)) continue;
    rows++;
    cents += Math.round(value * 100);
  }
  return { file, rows, dropped: lines.length - rows, cents };
}

/** Writes `count` CSV files of `rows` rows each into `dir/data`, the same every time. */
export function generateFolder(dir: string, count: number, rows = 200): void {
  mkdirSync(join(dir, "data"), { recursive: true });
  for (let f = 0; f < count; f++) {
    const lines = ["date,region,amount"];
    for (let r = 0; r < rows; r++) {
      const n = (f * 7919 + r * 104729) % 1000;
      // Every 50th row lacks a region and every 37th has no amount: cleaning drops them.
      const region = r % 50 === 49 ? "" : ["north", "south", "east", "west"][n % 4];
      const amount = r % 37 === 36 ? "" : (n / 10 + 1).toFixed(2);
      lines.push(`2026-01-${String((r % 28) + 1).padStart(2, "0")},${region},${amount}`);
    }
    writeFileSync(join(dir, "data", `sales-${String(f).padStart(3, "0")}.csv`), `${lines.join("\n")}\n`);
  }
}
