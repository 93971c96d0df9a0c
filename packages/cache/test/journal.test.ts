import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { Journal, SYNC_SCAN_BYTES } from "../src/journal/journal.js";
import { parseChunk } from "../src/journal/parse.js";
import { crc32 } from "node:zlib";
import { FRAME, type JournalRecord, Kind, MAGIC, type PutRecord, encodeClear, encodeDelete, encodeHeader, encodePut, encodeSeal, encodeUse } from "../src/journal/record.js";
import { JournalView } from "../src/journal/view.js";
import { putSmall, tempDir } from "./helpers.js";
import type { ResultMeta } from "@lp/core";
import { digestBytes } from "@lp/core/internal";

const key = (k: string) => Buffer.from(k, "utf8");
const put = (seq: number, k: string, body = `body of ${k}`) =>
  encodePut(seq, k, Buffer.byteLength(body), `sha256-${k}`, JSON.stringify({ key: k, seq }), Buffer.from(body)).record;
const putRef = (seq: number, k: string, size: number, digest: string) => encodePut(seq, k, size, digest, "{}", undefined).record;

function stateOf(records: readonly JournalRecord[]) {
  const view = new JournalView();
  for (const r of records) view.apply(r);
  return [...view.entries.values()].map((e) => `${e.key}@${e.seq}`).sort();
}

describe("journal records", () => {
  it("round-trip every kind, with unicode keys and an empty inline body", () => {
    const buf = Buffer.concat([
      encodeHeader(1, { format: 1, pid: 42, host: "h", createdAt: 5 }),
      put(2, "ünï/../x ✓"),
      putRef(3, "big", 1_000_000, "sha256-big"),
      encodePut(4, "empty", 0, "sha256-e", "{}", Buffer.alloc(0)).record,
      encodeDelete(5, key("gone"), 4),
      encodeUse(6, key("big"), 3, 99),
      encodeClear(7),
      encodeSeal(8),
    ]);
    const { records, damage, sealed, resumeAt } = parseChunk(buf);
    expect(damage).toEqual([]);
    expect(sealed).toBe(true);
    expect(resumeAt).toBe(buf.length);
    expect(records.map((r) => r.kind)).toEqual([Kind.Header, Kind.Put, Kind.Put, Kind.Put, Kind.Delete, Kind.Use, Kind.Clear, Kind.Seal]);
    const [header, first, big, empty, del, use] = records as [any, any, any, any, any, any];
    expect(header.info).toEqual({ format: 1, pid: 42, host: "h", createdAt: 5 });
    expect(first.key).toBe("ünï/../x ✓");
    expect(first.body.toString()).toBe("body of ünï/../x ✓");
    expect(JSON.parse(first.meta.toString())).toEqual({ key: "ünï/../x ✓", seq: 2 });
    expect(big.body).toBeUndefined();
    expect(big.size).toBe(1_000_000);
    expect(big.digest).toBe("sha256-big");
    expect(empty.digest).toBe("sha256-e");
    expect(empty.body?.byteLength).toBe(0);
    expect(del).toMatchObject({ key: "gone", upTo: 4 });
    expect(use).toMatchObject({ key: "big", version: 3, usedAt: 99 });
  });

  it("give a put read back its digest, and its time of writing as its last use until a later use is recorded", () => {
    const digest = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    const seq = 1_700_000_000_123_456;
    const { records } = parseChunk(Buffer.concat([encodePut(seq, "k", 0, digest, "{}", Buffer.alloc(0)).record, encodePut(seq + 1, "ref", 9, digest, "{}", undefined).record]));
    const [inline, ref] = records as [PutRecord, PutRecord];
    expect([inline.digest, ref.digest]).toEqual([digest, digest]);
    expect(inline.usedAt).toBe(1_700_000_000_123);
    const view = new JournalView();
    view.apply(inline);
    view.apply({ kind: Kind.Use, seq: seq + 2, key: "k", version: seq, usedAt: 1_800_000_000_000 });
    expect(view.entries.get("k")!.usedAt).toBe(1_800_000_000_000);
  });

  it("never decode a checksummed put whose fields run past its end, and read on after it", () => {
    const whole = put(2, "whole");
    // A valid frame around every cut of a put's payload: what a newer or broken writer could leave.
    const payload = whole.subarray(FRAME);
    const metaEnd = payload.length - Buffer.byteLength("body of whole");
    for (const cut of [10, 12, 20, 30, metaEnd - 1]) {
      const part = payload.subarray(0, cut);
      const framed = Buffer.alloc(FRAME + cut);
      framed.writeUInt32LE(MAGIC, 0);
      framed.writeUInt32LE(cut, 4);
      framed.writeUInt32LE(crc32(part), 8);
      part.copy(framed, FRAME);
      const chunk = parseChunk(Buffer.concat([put(1, "a"), framed, whole]));
      expect(chunk.records.map((r) => (r as { key: string }).key)).toEqual(["a", "whole"]);
      expect(chunk.damage).toHaveLength(1);
    }
  });

  it("stop cleanly at a preallocated zero tail, ready to resume there", () => {
    const records = Buffer.concat([put(1, "a"), put(2, "b")]);
    const chunk = parseChunk(Buffer.concat([records, Buffer.alloc(4096)]));
    expect(chunk.records).toHaveLength(2);
    expect(chunk.damage).toEqual([]);
    expect(chunk.resumeAt).toBe(records.length);
  });

  it("ignore a torn last record and report it, keeping every whole record before it", () => {
    const whole = Buffer.concat([put(1, "a"), put(2, "b")]);
    const last = put(3, "c");
    for (const cut of [1, 5, 12, last.length - 1]) {
      const chunk = parseChunk(Buffer.concat([whole, last.subarray(0, cut), Buffer.alloc(100)]));
      expect(chunk.records.map((r) => (r as { key: string }).key)).toEqual(["a", "b"]);
      expect(chunk.damage).toEqual([{ offset: whole.length, kind: "torn" }]);
      expect(chunk.resumeAt).toBe(whole.length);
    }
  });

  it("skip a damaged record in the middle and keep reading after it", () => {
    const a = put(1, "a");
    const b = put(2, "b");
    const c = put(3, "c");
    const buf = Buffer.concat([a, b, c]);
    buf[a.length + 20]! ^= 0xff; // inside b's payload
    const chunk = parseChunk(buf);
    expect(chunk.records.map((r) => (r as { key: string }).key)).toEqual(["a", "c"]);
    expect(chunk.damage).toEqual([{ offset: a.length, kind: "corrupt", nextSeq: 3 }]);
  });

  it("survive damage to a frame's length field", () => {
    const a = put(1, "a");
    const buf = Buffer.concat([a, put(2, "b"), put(3, "c")]);
    buf.writeUInt32LE(0xfffffff0, a.length + 4);
    expect(parseChunk(buf).records.map((r) => (r as { key: string }).key)).toEqual(["a", "c"]);
  });

  it("resume from an offset when a file has grown", () => {
    const first = put(1, "a");
    const rest = Buffer.concat([put(2, "b"), put(3, "c")]);
    const chunk = parseChunk(rest, first.length);
    expect(chunk.records).toHaveLength(2);
    expect(chunk.resumeAt).toBe(first.length + rest.length);
  });
});

describe("the journal view", () => {
  const decode = (buf: Buffer) => parseChunk(buf).records;
  const history = decode(
    Buffer.concat([put(10, "a"), put(11, "b"), put(12, "a"), encodeDelete(13, key("b"), 11), put(14, "c"), encodeClear(15), put(16, "d"), put(17, "c")]),
  );

  it("keeps the latest version of each key, honouring deletes and clears", () => {
    expect(stateOf(history)).toEqual(["c@17", "d@16"]);
  });

  it("reaches the same state whatever order the records arrive in", () => {
    const expected = stateOf(history);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const shuffled = [...history];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(stateOf(shuffled)).toEqual(expected);
    }
  });

  it("settles two writes with the same number the same way in every order", () => {
    const records = decode(Buffer.concat([putRef(5, "a", 1, "sha256-A"), putRef(5, "a", 1, "sha256-B")]));
    const winner = (rs: readonly JournalRecord[]) => {
      const view = new JournalView();
      for (const r of rs) view.apply(r);
      return view.entries.get("a")!.digest;
    };
    expect(winner(records)).toBe("sha256-B");
    expect(winner([...records].reverse())).toBe("sha256-B");
  });

  it("a delete removes only the versions up to the one it names", () => {
    const records = decode(Buffer.concat([put(1, "a"), put(3, "a"), encodeDelete(4, key("a"), 1)]));
    expect(stateOf(records)).toEqual(["a@3"]);
    expect(stateOf([...records].reverse())).toEqual(["a@3"]);
  });

  it("tracks sizes and which content digests are in use", () => {
    const view = new JournalView();
    for (const r of decode(
      Buffer.concat([
        putRef(1, "x", 100, "sha256-X"),
        putRef(2, "y", 100, "sha256-X"),
        put(3, "z", "12345"),
      ]),
    ))
      view.apply(r);
    expect(view.totalSize).toBe(205);
    expect(view.usesContent("sha256-X")).toBe(true);
    for (const r of decode(Buffer.concat([encodeDelete(4, key("x"), 1)]))) view.apply(r);
    expect(view.usesContent("sha256-X")).toBe(true);
    for (const r of decode(Buffer.concat([encodeDelete(5, key("y"), 2)]))) view.apply(r);
    expect(view.usesContent("sha256-X")).toBe(false);
    expect(view.totalSize).toBe(5);
  });
});

describe("a store's first reading of its journal", () => {
  /** A journal with some inline bodies, some replaced and one deleted, as stores leave it. */
  async function journalDir(): Promise<string> {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    for (let i = 0; i < 40; i++) await putSmall(store, `k${i % 30}`);
    await store.delete("k3");
    await store.close();
    return join(dir, "journal");
  }

  const entriesOf = (journal: Journal) =>
    [...journal.view.entries.values()].map((e) => ({ key: e.key, seq: e.seq, digest: e.digest, body: e.body && Buffer.from(e.body).toString() })).sort((a, b) => (a.key < b.key ? -1 : 1));

  it("reads a small journal synchronously and a big one asynchronously, to the same entries", async () => {
    const dir = await journalDir();
    const small = new Journal(dir, false, () => {});
    const smallFound = small.firstScan();
    expect(smallFound).toBe(true);
    const big = new Journal(dir, false, () => {});
    // As if its files held more than the synchronous reading allows.
    const bigFound = big.firstScan(100);
    expect(bigFound).toBeInstanceOf(Promise);
    expect(await bigFound).toBe(true);
    expect(entriesOf(big)).toEqual(entriesOf(small));
    expect(entriesOf(small).map((e) => e.key)).toHaveLength(29);
    expect(entriesOf(small).find((e) => e.key === "k5")?.body).toBe("body of k5");
  });

  it("finds no journal where there is none, either way", async () => {
    const dir = join(tempDir(), "journal");
    expect(new Journal(dir, false, () => {}).firstScan()).toBe(false);
    expect(await new Journal(dir, false, () => {}).firstScan(0)).toBe(false);
  });

  it("reads a journal of more than a few megabytes of inline bodies asynchronously", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const store = new CacacheStore({ dir });
    const body = Buffer.alloc(60 * 1024, 7);
    const meta: ResultMeta = { key: "", fingerprint: "f", components: { code: "c", inputs: {}, upstream: {} }, digest: digestBytes(body), size: body.byteLength, serializer: "bytes", createdAt: 1, expiresAt: null, expiry: "never" };
    const count = Math.ceil(SYNC_SCAN_BYTES / body.byteLength) + 1;
    for (let i = 0; i < count; i++) await store.put(`k${i}`, body, { ...meta, key: `k${i}` });
    await store.close();
    const journal = new Journal(join(dir, "journal"), false, () => {});
    const found = journal.firstScan();
    expect(found).toBeInstanceOf(Promise);
    expect(await found).toBe(true);
    expect(journal.view.entries.size).toBe(count);
    expect(SYNC_SCAN_BYTES).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});
