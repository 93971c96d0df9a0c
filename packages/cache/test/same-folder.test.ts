import { NoResultError, Pipeline, Task, silentLogger } from "@lp/core";
import { sampleMeta } from "@lp/core/conformance";
import { digestBytes } from "@lp/core/internal";
import { afterEach, describe, expect, it } from "vitest";
import { CacacheStore, type CacacheStoreInit, cacacheStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

const open: CacacheStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

function storeOn(init: CacacheStoreInit): CacacheStore {
  const store = new CacacheStore(init);
  open.push(store);
  return store;
}

async function put(store: CacacheStore, key: string, body: Uint8Array): Promise<void> {
  await store.put(key, body, sampleMeta(key, body, { serializer: "bytes" }));
}

const text = async (store: CacacheStore, key: string) => {
  const stored = await store.get(key);
  return stored && Buffer.from(stored.body).toString();
};

// Small bodies live in the journal, big ones in the content store: both kinds of entry.
const sizes = [
  ["small", (s: string) => Buffer.from(s)],
  ["big", (s: string) => Buffer.concat([Buffer.from(s), Buffer.alloc(200 * 1024, 7)])],
] as const;

describe("two stores on one folder in one process", () => {
  for (const [kind, body] of sizes) {
    it(`see each other's ${kind} puts and deletes at once`, async () => {
      const home = tempDir();
      const a = storeOn({ pipeline: "Twin", home });
      const b = storeOn({ pipeline: "Twin", home });
      await put(a, "k", body("one"));
      expect((await text(b, "k"))?.slice(0, 3)).toBe("one");
      // B has read its view of the journal: A's next version must reach it all the same.
      await put(a, "k", body("two"));
      expect((await b.getMeta("k"))?.digest).toBe(digestBytes(body("two")));
      expect((await b.getDecisionMeta("k"))?.digest).toBe(digestBytes(body("two")));
      expect((await text(b, "k"))?.slice(0, 3)).toBe("two");

      await put(b, "other", body("from b"));
      expect((await text(a, "other"))?.slice(0, 6)).toBe("from b");

      expect(await a.delete("k")).toBe(true);
      expect(await b.has("k")).toBe(false);
      expect(await b.getMeta("k")).toBeUndefined();
      expect(await b.get("k")).toBeUndefined();

      await a.clear();
      expect(await b.has("other")).toBe(false);
      expect(await b.list()).toEqual([]);
    });
  }

  it("keep working when one of them closes, and the closed one reopens to what the other stored", async () => {
    const dir = tempDir();
    const a = storeOn({ dir });
    const b = storeOn({ dir: `${dir}/.` });
    await put(a, "k", Buffer.from("one"));
    expect(await text(b, "k")).toBe("one");
    await a.close();
    await put(b, "k", Buffer.from("two"));
    expect(await text(b, "k")).toBe("two");
    expect(await text(a, "k")).toBe("two");
    await put(a, "k", Buffer.from("three"));
    expect(await text(b, "k")).toBe("three");
    await b.close();
    await a.close();
    // After both have closed, a fresh store reads the last version from the disk.
    expect(await text(storeOn({ dir }), "k")).toBe("three");
  });

  for (const [kind, body] of sizes) {
    it(`tell each other of a ${kind} put or a delete begun while the writing store is closing`, async () => {
      const dir = tempDir();
      const a = storeOn({ dir });
      const b = storeOn({ dir });
      await put(a, "k", body("one"));
      await put(a, "gone", body("to delete"));
      expect((await text(b, "k"))?.slice(0, 3)).toBe("one");
      expect(await b.has("gone")).toBe(true);
      await Promise.all([a.close(), put(a, "k", body("two")), a.delete("gone")]);
      // B hears of both without reopening: what a fresh store reads from the disk.
      expect((await text(b, "k"))?.slice(0, 3)).toBe("two");
      expect(await b.has("gone")).toBe(false);
      const fresh = storeOn({ dir });
      expect((await text(fresh, "k"))?.slice(0, 3)).toBe("two");
      expect(await fresh.has("gone")).toBe(false);
    });
  }

  it("do not share what they see with a store on another folder", async () => {
    const home = tempDir();
    const a = storeOn({ pipeline: "One", home });
    const b = storeOn({ pipeline: "Two", home });
    await put(a, "k", Buffer.from("one"));
    await b.has("k");
    await put(a, "k", Buffer.from("two"));
    expect(await b.has("k")).toBe(false);
    expect(await text(a, "k")).toBe("two");
  });

  it("two pipelines of one name with the default store factory read each other's latest results", async () => {
    const home = tempDir();
    let value = 1;
    const make = () =>
      new Pipeline("Twin", { store: cacacheStore({ home }), logger: silentLogger() }).add(new Task("Count", { run: () => value }));
    const first = make();
    const second = make();
    try {
      await first.execute();
      expect(await second.getResult("Count")).toBe(1);
      value = 2;
      await first.execute({ force: true });
      expect(await second.getResult("Count")).toBe(2);
      await first.store.delete("Count");
      await expect(second.getResult("Count")).rejects.toBeInstanceOf(NoResultError);
      await first.close();
      await second.execute();
      expect(await second.getResult("Count")).toBe(2);
      expect(await first.getResult("Count")).toBe(2);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
