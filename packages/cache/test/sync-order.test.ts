import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CacacheStore } from "../src/index.js";
import { SYNC_BATCH } from "../src/journal/writer.js";
import { putSmall, tempDir } from "./helpers.js";

/** Journal syncs as they start; each runs the real `fdatasync`, then waits to be let finish. */
const syncs = vi.hoisted(() => ({ held: false, started: [] as { release: () => void }[] }));

vi.mock("../src/fsync.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fsync.js")>();
  return {
    ...real,
    fdatasyncAsync: async (fd: number) => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      syncs.started.push({ release });
      await real.fdatasyncAsync(fd);
      if (syncs.held) await released;
    },
  };
});

const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

describe("journal syncs under a steady stream of puts", () => {
  it("start at once for a full batch; puts made while one runs wait for the next, and none is told before its own sync ends", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    await putSmall(store, "first");
    syncs.held = true;
    syncs.started.length = 0;

    const told: string[] = [];
    const track = (key: string) => putSmall(store, key).then(() => void told.push(key));

    // A full batch without the event loop turning (as a chain of quick tasks makes them):
    // its sync starts before this function returns, with its records on disk.
    const batch = Array.from({ length: SYNC_BATCH }, (_, i) => track(`a${i}`));
    expect(syncs.started).toHaveLength(1);
    const journalFile = readdirSync(join(dir, "journal")).find((f) => f.endsWith(".lpj"))!;
    const onDisk = readFileSync(join(dir, "journal", journalFile)).toString("latin1");
    for (let i = 0; i < SYNC_BATCH; i++) expect(onDisk).toContain(`body of a${i}`);

    // Puts made while it runs wait for the next sync; nobody is told before a sync ends.
    const later = ["b0", "b1", "b2"].map(track);
    await turn();
    expect(told).toEqual([]);
    expect(syncs.started).toHaveLength(1);

    // The first sync ends: its puts are told; the others get the next sync.
    syncs.started[0]!.release();
    await Promise.all(batch);
    expect(told).toEqual(Array.from({ length: SYNC_BATCH }, (_, i) => `a${i}`));
    await vi.waitUntil(() => syncs.started.length === 2, { timeout: 10_000, interval: 1 });
    await turn();
    expect(told).toHaveLength(SYNC_BATCH);

    syncs.started[1]!.release();
    await Promise.all(later);
    expect(told.slice(SYNC_BATCH)).toEqual(["b0", "b1", "b2"]);
    expect(syncs.started).toHaveLength(2);

    syncs.held = false;
    await store.close();
    const again = new CacacheStore({ dir });
    for (const key of ["first", "a0", `a${SYNC_BATCH - 1}`, "b2"]) expect((await again.get(key))?.body.toString(), key).toBe(`body of ${key}`);
    await again.close();
  });

  it("a lone put waits one turn of the event loop, so that puts made meanwhile share its sync", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    await putSmall(store, "first");
    syncs.held = false;
    syncs.started.length = 0;
    const one = putSmall(store, "one");
    expect(syncs.started).toHaveLength(0);
    await Promise.resolve();
    const two = putSmall(store, "two");
    await Promise.all([one, two]);
    expect(syncs.started).toHaveLength(1);
    await store.close();
  });
});
