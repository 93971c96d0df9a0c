import { appendFileSync, constants, readFileSync, readdirSync, readlinkSync, truncateSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { sampleMeta } from "@lp/core/conformance";
import { describe, expect, it, vi } from "vitest";
import { CacacheStore } from "../src/index.js";
import { tempDir, warnings } from "./helpers.js";

// Big enough to be read in several pieces, each hashed while the next is read.
const SIZE = 19 * 1024 * 1024 + 12_345;
const body = () => {
  const b = Buffer.alloc(SIZE);
  for (let i = 0; i + 4 <= SIZE; i += 4) b.writeUInt32LE((i * 2654435761) >>> 0, i);
  return b;
};

async function stored() {
  const dir = tempDir();
  const original = body();
  const store = new CacacheStore({ dir });
  await store.put("Big", original, sampleMeta("Big", original));
  const file = (await store.inspect("Big"))!.file!;
  await store.close();
  const w = warnings();
  return { original, file, w, reopen: () => new CacacheStore({ dir, onWarning: w.onWarning }) };
}

describe("a body read in pieces", () => {
  it("reads back byte for byte", async () => {
    const { original, reopen, w } = await stored();
    const store = reopen();
    const got = await store.get("Big");
    expect(got!.body.byteLength).toBe(SIZE);
    expect(Buffer.compare(got!.body, original)).toBe(0);
    expect(w.list).toEqual([]);
    await store.close();
  });

  it.each([
    ["a byte changed in its last piece", (file: string) => {
      const data = readFileSync(file);
      data[SIZE - 3]! ^= 0x01;
      writeFileSync(file, data);
    }],
    ["a byte changed in its first piece", (file: string) => {
      const data = readFileSync(file);
      data[10]! ^= 0x80;
      writeFileSync(file, data);
    }],
    ["cut short", (file: string) => truncateSync(file, SIZE - 1)],
    ["longer than it was", (file: string) => appendFileSync(file, Buffer.from([0]))],
  ])("%s is reported and never returned", async (_what, damage) => {
    const { file, reopen, w } = await stored();
    damage(file);
    const store = reopen();
    expect((await store.inspect("Big"))!.body).toBe("corrupt");
    expect(await store.get("Big")).toBeUndefined();
    expect(w.list.map((x) => x.problem)).toEqual(["body-corrupt"]);
    await store.close();
  });
});

/** Every file under `dir`, as paths relative to it. */
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));

describe("a body written in pieces", () => {
  it("is synced while it is written: a sync that fails fails the put, though the last one succeeds, and leaves no body behind", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    await store.open();
    const probe = await open(join(dir, "probe"), "w");
    const fileHandle = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(fileHandle, "datasync");
    try {
      // The first sync of the body, started after its first piece, fails; the others succeed.
      datasync.mockImplementationOnce(() => Promise.reject(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" })));
      const original = body();
      await expect(store.put("Big", original, sampleMeta("Big", original))).rejects.toThrow(/EIO/);
      expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(await store.get("Big")).toBeUndefined();
      expect(filesUnder(join(dir, "content"))).toEqual([]);

      datasync.mockClear();
      await store.put("Big", original, sampleMeta("Big", original));
      // One sync under way while the pieces are written, and the last once they all are.
      expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(Buffer.compare((await store.get("Big"))!.body, original)).toBe(0);
    } finally {
      datasync.mockRestore();
      await store.close();
    }
  });
});

describe("the store's own copy of a big body", () => {
  it("goes to the first reader, whatever the caller did to its bytes after the put; later readers read the disk", async () => {
    const dir = tempDir();
    const w = warnings();
    const store = new CacacheStore({ dir, onWarning: w.onWarning });
    const original = body();
    await store.put("Big", original, sampleMeta("Big", original));
    original.fill(7);
    const file = (await store.inspect("Big"))!.file!;
    // The file is damaged now: the first reader gets the copy the store wrote it from.
    const data = readFileSync(file);
    data[10]! ^= 0x80;
    writeFileSync(file, data);
    const first = await store.get("Big");
    expect(Buffer.compare(first!.body, body())).toBe(0);
    first!.body.fill(8);
    // The next reader reads the damaged file: it is reported, never returned.
    expect(await store.get("Big")).toBeUndefined();
    expect(w.list.map((x) => x.problem)).toEqual(["body-corrupt"]);
    await store.close();
  });

  it("is let go when the store opens again (the next run), so a reader then reads the disk", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir, onWarning: warnings().onWarning });
    const original = body();
    await store.put("Big", original, sampleMeta("Big", original));
    truncateSync((await store.inspect("Big"))!.file!, SIZE - 1);
    await store.open();
    expect(await store.get("Big")).toBeUndefined();
    await store.close();
  });

  it("is what is hashed and written: bytes the caller changes during the put fail it and store nothing, and the earlier entry stays", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    const earlier = Buffer.from("earlier");
    await store.put("Big", earlier, sampleMeta("Big", earlier));
    const original = body();
    const put = store.put("Big", original, sampleMeta("Big", original));
    original[SIZE - 1]! ^= 0x01;
    await expect(put).rejects.toThrow(/Could not store the result of "Big".*its bytes changed while they were being stored/);
    expect(Buffer.from((await store.get("Big"))!.body).toString()).toBe("earlier");
    expect(filesUnder(join(dir, "content")).filter((f) => !f.includes("lp-tmp"))).toEqual([]);
    expect(filesUnder(join(dir, "content", "lp-tmp"))).toEqual([]);
    await store.close();
  });
});

describe("a big body stored by putHashing", () => {
  const told = (body: Uint8Array, seen: string[] = []) => (digest: string) => {
    seen.push(digest);
    return sampleMeta("Big", body, { digest });
  };

  it("is hashed from the store's copy: the digest is core's, told before the put resolves, and the copy goes to the first reader", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir, onWarning: warnings().onWarning });
    const original = body();
    const seen: string[] = [];
    const put = store.putHashing("Big", original, told(original, seen));
    await expect(put).resolves.toBe(sampleMeta("Big", original).digest);
    expect(seen).toEqual([sampleMeta("Big", original).digest]);
    expect(await store.getMeta("Big")).toEqual(sampleMeta("Big", original));
    original.fill(7);
    // The file is damaged now: the first reader gets the copy the store wrote it from.
    const file = (await store.inspect("Big"))!.file!;
    const data = readFileSync(file);
    data[10]! ^= 0x80;
    writeFileSync(file, data);
    expect(Buffer.compare((await store.get("Big"))!.body, body())).toBe(0);
    expect(await store.get("Big")).toBeUndefined();
    await store.close();
  });

  it("reads back from the disk byte for byte in a new store", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    await store.putHashing("Big", body(), told(body()));
    await store.close();
    const again = new CacacheStore({ dir });
    expect(Buffer.compare((await again.get("Big"))!.body, body())).toBe(0);
    await again.close();
  });

  it("fails when its bytes change while they are copied, telling no digest, storing nothing, and the earlier entry stays", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    const earlier = Buffer.from("earlier");
    await store.put("Big", earlier, sampleMeta("Big", earlier));
    const probe = await open(join(dir, "probe"), "w");
    const fileHandle = Object.getPrototypeOf(probe) as { write(...args: unknown[]): Promise<unknown> };
    await probe.close();
    const original = body();
    const realWrite = fileHandle.write;
    const write = vi.spyOn(fileHandle, "write");
    // Its first piece is changed once it has been copied, while it is written.
    write.mockImplementationOnce(function (this: unknown, ...args: unknown[]) {
      original[10]! ^= 0x01;
      return realWrite.apply(this, args);
    });
    const seen: string[] = [];
    try {
      await expect(store.putHashing("Big", original, told(original, seen))).rejects.toThrow(/Could not store the result of "Big".*its bytes changed while they were being stored/);
    } finally {
      write.mockRestore();
    }
    expect(seen).toEqual([]);
    expect(Buffer.from((await store.get("Big"))!.body).toString()).toBe("earlier");
    expect(filesUnder(join(dir, "content"))).toEqual([]);
    await store.close();
  });

  it("stores nothing when metaFor throws, or returns metadata with another digest", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    const original = body();
    await expect(
      store.putHashing("Big", original, () => {
        throw new Error("no metadata");
      }),
    ).rejects.toThrow(/no metadata/);
    await expect(store.putHashing("Big", original, () => sampleMeta("Big", Buffer.from("other bytes")))).rejects.toMatchObject({
      code: "LP_INVALID_OPTION",
      message: expect.stringMatching(/CacacheStore\.putHashing\("Big"\).*meta\.digest/),
    });
    expect(await store.has("Big")).toBe(false);
    expect(filesUnder(join(dir, "content"))).toEqual([]);
    await store.close();
  });

  it("refuses a bad key or body with an error naming putHashing", async () => {
    const store = new CacacheStore({ dir: tempDir() });
    await expect(store.putHashing("", body(), told(body()))).rejects.toThrow(/CacacheStore\.putHashing\(""\).*key/);
    await expect(store.putHashing("Big", "text" as unknown as Uint8Array, told(body()))).rejects.toThrow(/CacacheStore\.putHashing\("Big"\).*body/);
    await store.close();
  });
});

describe("a big body the caller owns (nothing writes to it)", () => {
  const OWNED = { owned: true };

  it.each([
    ["put", (store: CacacheStore, original: Buffer) => store.put("Big", original, sampleMeta("Big", original), OWNED)],
    ["putHashing", (store: CacacheStore, original: Buffer) => store.putHashing("Big", original, (digest) => sampleMeta("Big", original, { digest }), OWNED)],
  ])("stored by %s, is written without the store's copy: even the first reader reads the disk, never the caller's memory", async (_how, putOwned) => {
    const dir = tempDir();
    const w = warnings();
    const store = new CacacheStore({ dir, onWarning: w.onWarning });
    const original = body();
    await putOwned(store, original);
    // Damaged on disk: with no copy kept, the first reader finds it, reported and never returned.
    const file = (await store.inspect("Big"))!.file!;
    const data = readFileSync(file);
    data[10]! ^= 0x80;
    writeFileSync(file, data);
    expect(await store.get("Big")).toBeUndefined();
    expect(w.list.map((x) => x.problem)).toEqual(["body-corrupt"]);
    expect(Buffer.compare(original, body())).toBe(0);
    await store.close();
  });

  it("stores nothing when metaFor throws, and the earlier entry stays", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    const earlier = Buffer.from("earlier");
    await store.put("Big", earlier, sampleMeta("Big", earlier));
    const refusal = new Error("no metadata");
    await expect(
      store.putHashing(
        "Big",
        body(),
        () => {
          throw refusal;
        },
        OWNED,
      ),
    ).rejects.toThrow(/no metadata/);
    expect(Buffer.from((await store.get("Big"))!.body).toString()).toBe("earlier");
    expect(filesUnder(join(dir, "content"))).toEqual([]);
    await store.close();
  });

  it("lets go of the copy kept of a big body written before it", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir, onWarning: warnings().onWarning });
    const copied = body();
    await store.put("Copied", copied, sampleMeta("Copied", copied));
    const owned = Buffer.alloc(SIZE, 3);
    await store.put("Owned", owned, sampleMeta("Owned", owned), OWNED);
    truncateSync((await store.inspect("Copied"))!.file!, SIZE - 1);
    expect(await store.get("Copied")).toBeUndefined();
    await store.close();
  });

  it("is written in one write that is durable when it returns (O_DSYNC), its digest told while it is under way", async (context) => {
    if (process.platform !== "linux") return context.skip();
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    const original = body();
    let flags: number | undefined;
    await store.putHashing(
      "Big",
      original,
      (digest) => {
        // The temporary file the body is being written to, and how it was opened.
        for (const fd of readdirSync("/proc/self/fd")) {
          let target = "";
          try {
            target = readlinkSync(`/proc/self/fd/${fd}`);
          } catch {
            continue;
          }
          if (!target.includes("lp-tmp")) continue;
          const line = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8").split("\n").find((l) => l.startsWith("flags:"));
          flags = Number.parseInt(line!.split(/\s+/)[1]!, 8);
        }
        return sampleMeta("Big", original, { digest });
      },
      OWNED,
    );
    expect(flags).toBeDefined();
    expect(flags! & constants.O_DSYNC).toBe(constants.O_DSYNC);
    expect(Buffer.compare((await store.get("Big"))!.body, body())).toBe(0);
    await store.close();
  });

  it("a write that fails fails the put, stores nothing and leaves no body behind; the earlier entry stays", async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    const earlier = Buffer.from("earlier");
    await store.put("Big", earlier, sampleMeta("Big", earlier));
    const probe = await open(join(dir, "probe"), "w");
    const fileHandle = Object.getPrototypeOf(probe) as { write(...args: unknown[]): Promise<unknown> };
    await probe.close();
    const write = vi.spyOn(fileHandle, "write");
    try {
      write.mockImplementationOnce(() => Promise.reject(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" })));
      const original = body();
      await expect(store.putHashing("Big", original, (digest) => sampleMeta("Big", original, { digest }), OWNED)).rejects.toThrow(/Could not store the result of "Big".*ENOSPC/);
      expect(Buffer.from((await store.get("Big"))!.body).toString()).toBe("earlier");
      expect(filesUnder(join(dir, "content"))).toEqual([]);
    } finally {
      write.mockRestore();
      await store.close();
    }
  });
});
