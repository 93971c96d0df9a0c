import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { parseChunk } from "../src/journal/parse.js";
import { Kind } from "../src/journal/record.js";
import { SETTLE_READS, type SegmentRead, readSegment, readSegmentSync, settled, settledSync } from "../src/journal/segments.js";
import { putSmall, tempDir } from "./helpers.js";

/** A closed journal file holding puts of A, B and C, and where B's record lies in it. */
async function journalWithThreePuts(): Promise<{ file: string; data: Buffer; start: number; end: number }> {
  const dir = tempDir();
  const store = new CacacheStore({ dir });
  // One sync each, so that every put is a record of its own.
  for (const key of ["A", "B", "C"]) await putSmall(store, key);
  await store.close();
  const journal = join(dir, "journal");
  const name = readdirSync(journal).find((n) => n.endsWith(".lpj"))!;
  const file = join(journal, name);
  const data = readFileSync(file);
  const b = data.indexOf('"key":"B"');
  const start = data.lastIndexOf("LPJ1", b);
  const end = data.indexOf("LPJ1", b);
  return { file, data, start, end };
}

function readOnce(file: string): SegmentRead {
  return { chunk: parseChunk(readFileSync(file)), size: 0, mtimeMs: 0 };
}

const putKeys = (read: SegmentRead | undefined) =>
  read!.chunk.records.filter((r) => r.kind === Kind.Put).map((r) => (r as { key: string }).key);

describe("reading a journal file while another process appends to it", () => {
  it("reads again when a record looks unwritten between whole ones, and then takes the finished write", async () => {
    const { file, data, start, end } = await journalWithThreePuts();
    // What a reader preempted between two pages of an append can see: B's bytes not yet
    // there, C's already.
    const torn = Buffer.from(data);
    torn.fill(0, start, end);
    expect(parseChunk(torn).damage.map((d) => d.kind)).toEqual(["corrupt"]);

    // The write finishes after the first read, whichever way the file is read.
    for (const read of [(once: () => SegmentRead) => settledSync(once), (once: () => SegmentRead) => settled(async () => once())]) {
      writeFileSync(file, torn);
      let reads = 0;
      const result = await read(() => {
        const got = readOnce(file);
        if (reads++ === 0) writeFileSync(file, data);
        return got;
      });
      expect(reads).toBe(2);
      expect(result!.chunk.damage).toEqual([]);
      expect(putKeys(result)).toEqual(["A", "B", "C"]);
    }
  });

  it("still reports real damage, after reading the file a bounded number of times", async () => {
    const { file, data, start, end } = await journalWithThreePuts();
    const damaged = Buffer.from(data);
    damaged.fill(0, start, end);
    writeFileSync(file, damaged);

    let reads = 0;
    const read = settledSync(() => {
      reads++;
      return readOnce(file);
    });
    expect(reads).toBe(SETTLE_READS);
    expect(read!.chunk.damage.map((d) => d.kind)).toEqual(["corrupt"]);
    expect(putKeys(read)).toEqual(["A", "C"]);
    // The file readers themselves agree.
    expect(putKeys(readSegmentSync(file, 0))).toEqual(["A", "C"]);
    expect(putKeys(await readSegment(file, 0))).toEqual(["A", "C"]);
  });
});
