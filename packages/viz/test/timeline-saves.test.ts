import { MemoryStore, type ResultMeta, task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { renderReport } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

/** A store whose saves take a while, like a slow disk sync: they overlap with the next tasks. */
class SlowSaves extends MemoryStore {
  override async put(key: string, body: Uint8Array, meta: ResultMeta) {
    await new Promise((r) => setTimeout(r, 40));
    return super.put(key, body, meta);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each timeline bar's task with its start and end, in ms from the run's start. */
function bars(html: string): Map<string, { start: number; end: number }> {
  const found = html.matchAll(/<rect class="bar[^"]*" data-task="([^"]*)" data-state="[^"]*" data-start="([\d.]+)" data-end="([\d.]+)"/g);
  return new Map([...found].map((m) => [m[1]!, { start: Number(m[2]), end: Number(m[3]) }]));
}

describe("the report's timeline while saves overlap with later tasks", () => {
  it("starts a dependent's bar after its upstream's ends, and peak concurrency never exceeds concurrency", async () => {
    const { pipeline } = quietPipeline("Saves", { store: new SlowSaves(), concurrency: 2 });
    const leaf = (name: string) => task(name, { run: () => sleep(15).then(() => name) });
    pipeline.add(
      leaf("A"),
      leaf("B"),
      leaf("C"),
      leaf("D"),
      task("AfterA", { dependencies: ["A"], run: () => sleep(15).then(() => 1) }),
      task("Last", { dependencies: ["AfterA", "B"], run: () => sleep(15).then(() => 2) }),
    );
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    const html = renderReport(pipeline, summary);
    const peak = Number(html.match(/data-total="peak"><dt>[^<]*<\/dt><dd>(\d+)<\/dd>/)?.[1]);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
    expect(Number(html.match(/class="load" d="[^"]*" data-peak="(\d+)"/)?.[1])).toBeLessThanOrEqual(2);

    const b = bars(html);
    expect(b.size).toBe(6);
    expect(b.get("AfterA")!.start).toBeGreaterThanOrEqual(b.get("A")!.end);
    expect(b.get("Last")!.start).toBeGreaterThanOrEqual(Math.max(b.get("AfterA")!.end, b.get("B")!.end));
    // Every record says when it let its dependents start: before its save was durable.
    for (const r of summary.tasks) expect(r.releasedAt!).toBeLessThanOrEqual(r.finishedAt!);
  });
});
