import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResultStore, RunEvent } from "../src/index.js";
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
