import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CacacheStore } from "../src/index.js";
import { putSmall, tempDir } from "./helpers.js";

/** Folder syncs as they are asked for; each runs for real, then waits to be let finish while `held`. */
const dirSyncs = vi.hoisted(() => ({ held: false, asked: [] as { dir: string; release: () => void }[] }));

vi.mock("../src/fsync.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fsync.js")>();
  return {
    ...real,
    syncDirShared: async (dir: string) => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      dirSyncs.asked.push({ dir, release });
      await real.syncDirShared(dir);
      if (dirSyncs.held) await released;
    },
  };
});

const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

describe("a new journal file", () => {
  it("is on disk, named in its folder, before the first put written to it is told it is stored", async () => {
    const dir = join(tempDir(), "store");
    const journal = join(dir, "journal");
    const store = new CacacheStore({ dir });
    dirSyncs.held = true;
    let told = false;
    const first = putSmall(store, "first").then(() => void (told = true));

    await vi.waitUntil(() => dirSyncs.asked.some((s) => s.dir === journal), { timeout: 10_000, interval: 1 });
    expect(readdirSync(journal).filter((f) => f.endsWith(".lpj"))).toHaveLength(1);
    await turn();
    expect(told).toBe(false);

    dirSyncs.held = false;
    for (const s of dirSyncs.asked) s.release();
    await first;
    expect(told).toBe(true);

    // Later puts to the same file need no folder sync.
    const asked = dirSyncs.asked.length;
    await putSmall(store, "second");
    expect(dirSyncs.asked).toHaveLength(asked);
    await store.close();
    const again = new CacacheStore({ dir });
    for (const key of ["first", "second"]) expect((await again.get(key))?.body.toString(), key).toBe(`body of ${key}`);
    await again.close();
  });
});
