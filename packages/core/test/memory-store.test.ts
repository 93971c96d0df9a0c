import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/index.js";
import { sampleMeta, storeConformance } from "../src/conformance.js";
import { digestBytes } from "../src/internal.js";
import { tempDir } from "./helpers.js";

storeConformance(it, { create: () => new MemoryStore() });

const MiB = 1024 * 1024;

/** Runs a script with `MemoryStore` and `gc` in a child process; returns what it printed, parsed. */
function inChild(script: string): Record<string, number> {
  const core = pathToFileURL(join(import.meta.dirname, "..", "dist", "index.js")).href;
  const file = join(tempDir(), "memory.mjs");
  writeFileSync(
    file,
    `import { MemoryStore } from ${JSON.stringify(core)};
const meta = (key, size) => ({ key, fingerprint: "f", components: {}, digest: "d", size, serializer: "bytes", createdAt: 1, expiresAt: null, expiry: "never" });
const mb = () => {
  globalThis.gc();
  return process.memoryUsage().arrayBuffers / 1048576;
};
${script}`,
  );
  const run = spawnSync(process.execPath, ["--expose-gc", file], { encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout.trim());
}

describe("the memory store's puts", () => {
  it("keep an owned body without a second copy in memory, and copy one that is not owned", () => {
    const out = inChild(`
const store = new MemoryStore();
const owned = new Uint8Array(64 * 1048576).fill(5);
let before = mb();
await store.put("Owned", owned, meta("Owned", owned.byteLength), { owned: true });
const ownedMb = mb() - before;
const lent = new Uint8Array(64 * 1048576).fill(5);
before = mb();
await store.put("Lent", lent, meta("Lent", lent.byteLength));
console.log(JSON.stringify({ ownedMb, lentMb: mb() - before, kept: owned.length + lent.length }));
`);
    expect(out.ownedMb).toBeLessThan(16);
    expect(out.lentMb).toBeGreaterThanOrEqual(63);
  });

  it("copy an owned small view of a big buffer, so as not to keep the whole buffer alive", () => {
    const out = inChild(`
const store = new MemoryStore();
for (let i = 0; i < 16; i++) {
  const big = new Uint8Array(8 * 1048576).fill(i);
  await store.put("k" + i, big.subarray(0, 1024), meta("k" + i, 1024), { owned: true });
}
await new Promise((r) => setTimeout(r, 10));
const got = await store.get("k15");
console.log(JSON.stringify({ mb: mb(), first: got.body[0], size: got.body.byteLength }));
`);
    expect(out).toMatchObject({ first: 15, size: 1024 });
    // Keeping the views' buffers would hold 128 MB; half of that leaves room for a buffer or
    // two the collector has not taken yet.
    expect(out.mb).toBeLessThan(64);
  });

  it("give every reader bytes of its own, owned or not; what a caller does to a body it lent later is not stored", async () => {
    const store = new MemoryStore();
    const owned = new Uint8Array(4 * MiB).fill(5);
    await store.put("Owned", owned, sampleMeta("Owned", owned, { serializer: "bytes" }), { owned: true });
    const read = (await store.get("Owned"))!.body;
    expect(Buffer.from(read.buffer, read.byteOffset, read.byteLength).equals(owned)).toBe(true);
    read.fill(6);
    expect((await store.get("Owned"))!.body[0]).toBe(5);

    const lent = new Uint8Array(4 * MiB).fill(5);
    await store.put("Lent", lent, sampleMeta("Lent", lent, { serializer: "bytes" }));
    lent.fill(7);
    const again = (await store.get("Lent"))!.body;
    expect(again[0]).toBe(5);
    expect(digestBytes(again)).toBe((await store.getMeta("Lent"))!.digest);
  });
});
