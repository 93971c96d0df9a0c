import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { parseChunk } from "../src/journal/parse.js";
import { Kind } from "../src/journal/record.js";
import { runChild, tempDir, warnings } from "./helpers.js";

/** Runs one store operation in a process of its own. */
async function op(dir: string, ...args: string[]): Promise<void> {
  const run = await runChild("store-op.mjs", [dir, ...args]);
  expect(run.stderr).toBe("");
  expect(run.lines).toEqual(["ok"]);
}

/** Flips a byte inside the one record (between header and seal) of the newest journal file holding a record of `kind`. */
function damageRecordOf(dir: string, kind: Kind): string {
  const journal = join(dir, "journal");
  for (const name of readdirSync(journal).filter((n) => n.endsWith(".lpj")).sort().reverse()) {
    const file = join(journal, name);
    const data = readFileSync(file);
    const kinds = parseChunk(data).records.map((r) => r.kind);
    if (kinds.length !== 3 || kinds[1] !== kind) continue;
    data[data.lastIndexOf("LPJ1") - 1]! ^= 0x5a; // last byte of the record before the seal
    writeFileSync(file, data);
    return file;
  }
  throw new Error(`no journal file with a single record of kind ${kind}`);
}

async function readBack(dir: string) {
  const w = warnings();
  const store = new CacacheStore({ dir, onWarning: w.onWarning });
  const read = async (key: string) => (await store.get(key))?.body.toString();
  return { store, w, read };
}

describe("a damaged record never brings back what it may have removed", () => {
  it("a damaged delete leaves the deleted result missing (and later results alone)", async () => {
    const dir = tempDir();
    await op(dir, "put", "T00", "old value of T00");
    await op(dir, "delete", "T00");
    await op(dir, "put", "Later", "stored after the delete");
    const file = damageRecordOf(dir, Kind.Delete);

    const { store, w, read } = await readBack(dir);
    expect(await read("T00")).toBeUndefined();
    expect(await store.has("T00")).toBe(false);
    expect(await read("Later")).toBe("stored after the delete");
    expect(w.list.map((x) => [x.problem, x.file])).toEqual([["journal-corrupt", file]]);
    await store.close();
  });

  it("a damaged clear leaves every cleared result missing", async () => {
    const dir = tempDir();
    await op(dir, "put", "T00", "old value of T00");
    await op(dir, "put", "T01", "x", "100000"); // in the content store
    await op(dir, "clear");
    damageRecordOf(dir, Kind.Clear);

    const { store, read } = await readBack(dir);
    expect(await read("T00")).toBeUndefined();
    expect(await read("T01")).toBeUndefined();
    expect(await store.list()).toEqual([]);
    await store.close();
  });

  it("a damaged newer put never makes the version it replaced current again", async () => {
    const dir = tempDir();
    await op(dir, "put", "T00", "version 1");
    await op(dir, "put", "T00", "version 2");
    damageRecordOf(dir, Kind.Put);

    const { store, read } = await readBack(dir);
    expect(await read("T00")).toBeUndefined();
    await store.close();
    // Compaction folds the damaged file away; the result stays missing.
    const again = new CacacheStore({ dir, onWarning: () => {} });
    await again.compact();
    await again.close();
    const after = await readBack(dir);
    expect(await after.read("T00")).toBeUndefined();
    await after.store.close();
  });
});
