import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "../src/index.js";
import { MemoryStore, Pipeline, type PipelineOptions, silentLogger } from "../src/index.js";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function tempDir(prefix = "lp-core-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A pipeline that records its events and prints nothing. */
export function quietPipeline(name: string, options: PipelineOptions = {}) {
  const events: RunEvent[] = [];
  const base = silentLogger();
  const pipeline = new Pipeline(name, { logger: { ...base, event: (e) => events.push(e) }, ...options });
  return { pipeline, events };
}

/** A memory store that counts calls, to prove what a decision does not read. */
export class CountingStore extends MemoryStore {
  gets = 0;
  puts = 0;
  override async get(key: string) {
    this.gets++;
    return super.get(key);
  }
  override async put(...args: Parameters<MemoryStore["put"]>) {
    this.puts++;
    return super.put(...args);
  }
}

/**
 * Attempts that count how many of them are live at once. Each stays live until `limit` are
 * live together, or until all `total` have started (the last may have no one left to wait
 * for), rather than for a span of time a loaded machine can overrun; then a moment more, so
 * that attempts a broken limit lets in are counted too. For attempts that are all ready at
 * once (an attempt waiting on one that cannot start before it ends would wait out the deadline).
 */
export function liveAttempts(limit: number, total: number) {
  let live = 0;
  let started = 0;
  let peak = 0;
  let deadline: number | undefined;
  const waiting: (() => void)[] = [];
  return {
    get peak() {
      return peak;
    },
    async hold(): Promise<void> {
      live++;
      started++;
      peak = Math.max(peak, live);
      for (const wake of waiting.splice(0)) wake();
      try {
        // A run that keeps permits free ends the wait at the deadline, and shows as a low peak.
        const until = (deadline ??= Date.now() + 20_000);
        while (live < limit && started < total && Date.now() < until)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, until - Date.now());
            waiting.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        await sleep(5);
      } finally {
        live--;
      }
    },
  };
}
