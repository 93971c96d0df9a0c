import { join } from "node:path";
import { StoreError } from "@lp/core";
import { describe, expect, it, vi } from "vitest";
import { CacacheStore } from "../src/index.js";
import { putSmall, tempDir } from "./helpers.js";

/** How many of the next journal syncs fail (EIO), as a failing disk's would. */
const failing = vi.hoisted(() => ({ syncs: 0, started: 0 }));

vi.mock("../src/fsync.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fsync.js")>();
  return {
    ...real,
    fdatasyncAsync: (fd: number) => {
      failing.started++;
      if (failing.syncs > 0) {
        failing.syncs--;
        return new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" })), 20));
      }
      return real.fdatasyncAsync(fd);
    },
  };
});

describe("a journal sync that fails", () => {
  it("fails every put it covered and every put waiting for the next sync; later puts go to a new file", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    await putSmall(store, "A");

    failing.syncs = 1;
    failing.started = 0;
    // B, C and D share the failing sync; E arrives while it runs, so waits for the next one.
    const batch = ["B", "C", "D"].map((k) => putSmall(store, k));
    await vi.waitUntil(() => failing.started === 1, { timeout: 10_000, interval: 1 });
    const late = putSmall(store, "E");
    const settled = await Promise.allSettled([...batch, late]);
    for (const s of settled) {
      expect(s.status).toBe("rejected");
      const error = (s as PromiseRejectedResult).reason as StoreError;
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toMatch(/Could not store the result of "[BCDE]" in .*EIO/);
      expect(error.message).toContain(`${dir}: EIO: i/o error, fdatasync. The disk reported an I/O error: check it`);
    }
    // No further sync was attempted on the failed file for E.
    expect(failing.started).toBe(1);
    for (const k of ["B", "C", "D", "E"]) expect(await store.has(k), k).toBe(false);

    await putSmall(store, "F");
    await store.close();
    const again = new CacacheStore({ dir });
    const found = [];
    for (const k of ["A", "B", "C", "D", "E", "F"]) if ((await again.get(k))?.body.toString() === `body of ${k}`) found.push(k);
    expect(found).toEqual(["A", "F"]);
    await again.close();
  });
});
