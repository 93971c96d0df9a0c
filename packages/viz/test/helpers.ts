import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pipeline, type PipelineOptions, type RunEvent, silentLogger } from "@lp/core";

export function tempDir(prefix = "lp-viz-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A pipeline that records its events and prints nothing. */
export function quietPipeline(name: string, options: PipelineOptions = {}) {
  const events: RunEvent[] = [];
  const base = silentLogger();
  const pipeline = new Pipeline(name, { logger: { ...base, event: (e) => events.push(e) }, ...options });
  return { pipeline, events };
}
