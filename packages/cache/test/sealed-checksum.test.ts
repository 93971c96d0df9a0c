import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { type ParsedChunk, parseChunk, parseRecords } from "../src/journal/parse.js";
import { CHECKED_SEAL_BYTES, type JournalRecord, Kind, encodeHeader, encodePut, encodeSeal } from "../src/journal/record.js";
import { digestBytes } from "@lp/core/internal";
import { putSmall, tempDir } from "./helpers.js";

/** What a reading found, comparable across readings: each record by what it says, and the damage. */
function summary(chunk: ParsedChunk) {
  const record = (r: JournalRecord) =>
    r.kind === Kind.Put ? { kind: r.kind, seq: r.seq, key: r.key, size: r.size, digest: r.digest, meta: r.meta.toString("latin1"), body: r.body?.toString("latin1") } : { ...r };
  return { records: chunk.records.map(record), damage: chunk.damage, sealed: chunk.sealed, resumeAt: chunk.resumeAt };
}

/** A journal file written and sealed by a store: a few puts, one of them replaced. */
async function sealedFile(): Promise<{ dir: string; file: string; data: Buffer }> {
  const dir = join(tempDir(), "store");
  const store = new CacacheStore({ dir });
  for (const k of ["a", "b", "ünï ✓", "a"]) await putSmall(store, k);
  await store.close();
  const journal = join(dir, "journal");
  const [name] = readdirSync(journal);
  const file = join(journal, name!);
  return { dir, file, data: readFileSync(file) };
}

describe("a sealed journal file's checksum", () => {
  it("is carried by the seal a store writes on closing, over every byte before it", async () => {
    const { data } = await sealedFile();
    const sealAt = data.length - CHECKED_SEAL_BYTES;
    const seal = parseRecords(data).records.at(-1)!;
    expect(seal.kind).toBe(Kind.Seal);
    expect(seal.kind === Kind.Seal && seal.checksum).toBe(crc32(data.subarray(0, sealAt)));
  });

  it("lets the file be read at once, to exactly what reading it record by record finds", async () => {
    const { data } = await sealedFile();
    expect(summary(parseChunk(data))).toEqual(summary(parseRecords(data)));
    expect(parseChunk(data).damage).toEqual([]);
  });

  it("read from a later offset, or without a checksum (an earlier version's seal), falls back to reading record by record", () => {
    const body = [encodeHeader(1, { format: 1, pid: 1, host: "h", createdAt: 1 }), encodePut(2, "k", 1, "sha256-k", "{}", Buffer.from("x")).record];
    const old = Buffer.concat([...body, encodeSeal(3)]);
    expect(summary(parseChunk(old))).toEqual(summary(parseRecords(old)));
    expect(parseChunk(old).sealed).toBe(true);
    expect(parseChunk(old).records.map((r) => r.kind)).toEqual([Kind.Header, Kind.Put, Kind.Seal]);
    const checked = Buffer.concat([...body, encodeSeal(3, crc32(Buffer.concat(body)))]);
    const from = body[0]!.length;
    expect(summary(parseChunk(checked.subarray(from), from))).toEqual(summary(parseRecords(checked.subarray(from), from)));
  });

  it("does not hide damage: a file changed anywhere reads as record by record, damage reported alike", async () => {
    const { data } = await sealedFile();
    // Every byte, flipped in turn (the seal's own included), and a cut-off end.
    for (let at = 0; at < data.length; at++) {
      const damaged = Buffer.from(data);
      damaged[at]! ^= 0x20;
      const read = parseChunk(damaged);
      expect(summary(read), `byte ${at}`).toEqual(summary(parseRecords(damaged)));
      if (at < data.length - CHECKED_SEAL_BYTES) expect(read.damage.length > 0 || !read.sealed, `byte ${at}`).toBe(true);
    }
    const cut = data.subarray(0, data.length - 3);
    expect(summary(parseChunk(cut))).toEqual(summary(parseRecords(cut)));
  });

  it("is left out of a file too big for reading it back to pay, which then reads record by record", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir, fsync: false });
    const body = Buffer.alloc(60_000, 7);
    const keys = Array.from({ length: 580 }, (_, i) => `k${i}`);
    await Promise.all(keys.map((k) => store.put(k, body, { key: k, fingerprint: "f", components: { code: "c", inputs: {}, upstream: {} }, digest: digestBytes(body), size: body.byteLength, serializer: "bytes", createdAt: 1, expiresAt: null, expiry: "never" })));
    await store.close();
    const [name] = readdirSync(join(dir, "journal"));
    const data = readFileSync(join(dir, "journal", name!));
    expect(data.length).toBeGreaterThan(32 * 1024 * 1024);
    const seal = parseRecords(data).records.at(-1)!;
    expect(seal).toEqual({ kind: Kind.Seal, seq: seal.seq });
    expect(summary(parseChunk(data))).toEqual(summary(parseRecords(data)));
    const again = new CacacheStore({ dir });
    expect(Buffer.from((await again.get("k579"))!.body).equals(body)).toBe(true);
    await again.close();
  });

  it("is found damaged by a store opening the folder, which reports it and loses nothing else", async () => {
    const { dir, file, data } = await sealedFile();
    const damaged = Buffer.from(data);
    // Inside the metadata of the first put, after the header.
    damaged[Math.floor(data.length / 3)]! ^= 0x01;
    writeFileSync(file, damaged);
    const warnings: string[] = [];
    const again = new CacacheStore({ dir, onWarning: (w) => warnings.push(w.message) });
    await again.open();
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain(file);
    await again.close();
  });
});
