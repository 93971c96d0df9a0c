import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PRESENCE_DIR, Presence } from "../src/presence.js";
import { tempDir } from "./helpers.js";

/** Whether `promise` is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const still = Symbol("pending");
  const first = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(still), ms))]);
  return first === still;
}

function storeDir(): string {
  const dir = tempDir();
  mkdirSync(join(dir, PRESENCE_DIR));
  return dir;
}

describe("opening waits for whoever collects unreferenced bodies", () => {
  it("enters at once when there is no collection lock", async () => {
    const presence = await Presence.enter(storeDir());
    await presence.leave();
  });

  it("waits while a live process holds the lock, and enters once it is gone", { timeout: 60_000 }, async () => {
    const dir = storeDir();
    const lock = join(dir, "collect.lock");
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
    const entering = Presence.enter(dir);
    expect(await pendingAfter(entering, 300)).toBe(true);
    rmSync(lock);
    await (await entering).leave();
  });

  it("counts a lock it cannot read as held: only a missing file means no lock", { timeout: 60_000 }, async () => {
    const dir = storeDir();
    const lock = join(dir, "collect.lock");
    // A link to itself: there is an entry, but reading or following it fails (ELOOP).
    symlinkSync("collect.lock", lock);
    const entering = Presence.enter(dir);
    expect(await pendingAfter(entering, 300)).toBe(true);
    rmSync(lock);
    await (await entering).leave();
  });
});
