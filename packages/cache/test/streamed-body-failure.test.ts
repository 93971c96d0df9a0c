import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Pipeline, Task, msgpackSerializer, silentLogger } from "@lp/core";
import { describe, expect, it, vi } from "vitest";
import { CacacheStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

// The disk fills up under the body's writes (those of a megabyte or more): each fails with ENOSPC.
const disk = vi.hoisted(() => ({ full: false, failed: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const write = (...args: unknown[]) => {
    const length = args[3];
    if (disk.full && typeof length === "number" && length >= 1024 * 1024) {
      disk.failed++;
      const callback = args.at(-1) as (error: Error) => void;
      process.nextTick(callback, Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
      return;
    }
    return (fs.write as (...a: unknown[]) => void)(...args);
  };
  return { ...fs, default: { ...fs, write }, write };
});

const rows = (tag: string) => Array.from({ length: 150_000 }, (_, i) => ({ i, tag, payload: `${"x".repeat(60)}${i}` }));

describe("a big array stored as it is packed, when the disk fails under its writes", () => {
  it("fails the task's save with the store's error naming the folder, keeps the earlier result, and leaves no temporary file", { timeout: 120_000 }, async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    const opened: string[] = [];
    const open = store.openBody.bind(store);
    store.openBody = (key, maxBytes) => {
      const sink = open(key, maxBytes);
      if (sink) opened.push(key);
      return sink;
    };
    let tag = "first";
    const pipeline = new Pipeline("FullDisk", { store, logger: silentLogger() }).add(new Task("Data", { codeHash: false, run: () => rows(tag) }));
    expect((await pipeline.execute()).ok).toBe(true);
    tag = "second";
    disk.full = true;
    const summary = await pipeline.execute({ force: true });
    disk.full = false;
    expect(opened).toEqual(["Data", "Data"]);
    expect(disk.failed).toBeGreaterThan(0);
    const data = summary.tasks.find((t) => t.name === "Data")!;
    expect(data).toMatchObject({ state: "failed", error: { code: "LP_STORE" } });
    expect(data.error!.message).toContain('Task "Data": the result could not be stored');
    expect(data.error!.message).toContain(`Could not store the result of "Data" in ${dir}: ENOSPC: no space left on device, write`);
    await pipeline.close();
    const again = new CacacheStore({ dir });
    const stored = await again.get("Data");
    expect(msgpackSerializer.deserialize(stored!.body)).toEqual(rows("first"));
    await again.close();
    expect(readdirSync(join(dir, "content", "lp-tmp"))).toEqual([]);
  });
});
