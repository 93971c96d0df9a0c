import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { fsyncDirSync } from "../fsync.js";
import { tryLock } from "./lock.js";
import { Kind, encodeClear, encodeDelete, encodeHeader, encodePut, encodeSeal, encodeUse, seqTime } from "./record.js";
import { damageReach } from "./damage.js";
import { headerOf, listSegments, readWholeSegment } from "./segments.js";
import { JournalView } from "./view.js";
import { segmentName } from "./writer.js";

/** What a compaction did. */
export interface Compaction {
  /** The new file, or undefined when nothing was left to keep. */
  snapshot: { name: string; bytes: number } | undefined;
  /** Files folded in and removed. */
  removed: string[];
}

const keyBytes = (key: string) => Buffer.from(key, "utf8");

/**
 * Folds closed journal files into one snapshot file holding only the latest version of
 * each entry, then removes them. The snapshot is durable before anything is removed, so a
 * reader (or a crash) at any moment sees every record either in the old files or in the
 * new one; records keep their sequence numbers, so reading both is harmless. Tombstones
 * are kept while other files exist that they may apply to.
 *
 * Resolves undefined when another process holds the compaction lock or has already
 * compacted some of these files.
 */
export async function compactSegments(dir: string, candidates: readonly string[]): Promise<Compaction | undefined> {
  if (candidates.length === 0) return undefined;
  const release = await tryLock(join(dir, "compact.lock"));
  if (!release) return undefined;
  try {
    const view = new JournalView();
    for (const name of candidates) {
      let read;
      try {
        read = await readWholeSegment(join(dir, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      const { chunk, mtimeMs } = read;
      for (const record of chunk.records) view.apply(record);
      // What a damaged record may have changed stays missing in the snapshot, as when reading.
      const snapshot = headerOf(chunk)?.snapshot === true;
      for (const damage of chunk.damage) view.apply({ kind: Kind.Clear, seq: damageReach(damage, chunk.records, snapshot, mtimeMs) });
    }
    const chosen = new Set(candidates);
    const othersExist = ((await listSegments(dir)) ?? []).some((n) => !chosen.has(n));
    const seq = view.maxSeq;
    const records: Buffer[] = [];
    for (const e of view.entries.values()) {
      const key = keyBytes(e.key);
      records.push(encodePut(e.seq, e.key, e.size, e.digest, e.meta.toString("utf8"), e.body).record);
      if (e.usedAt > seqTime(e.seq)) records.push(encodeUse(e.seq, key, e.seq, e.usedAt));
    }
    if (othersExist) {
      for (const [key, upTo] of view.deleted) records.push(encodeDelete(upTo, keyBytes(key), upTo));
      if (view.clearedUpTo > 0) records.push(encodeClear(view.clearedUpTo));
    }
    let snapshot: Compaction["snapshot"];
    if (records.length > 0) {
      const name = segmentName();
      const header = encodeHeader(seq, { format: 1, pid: process.pid, host: hostname(), createdAt: Date.now(), snapshot: true });
      let checksum = crc32(header);
      for (const r of records) checksum = crc32(r, checksum);
      const data = Buffer.concat([header, ...records, encodeSeal(seq, checksum)]);
      const tmp = join(dir, `${name}.${randomBytes(4).toString("hex")}.tmp`);
      const fd = openSync(tmp, "wx", 0o600);
      try {
        for (let done = 0; done < data.byteLength; ) done += writeSync(fd, data, done, data.byteLength - done, done);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, name));
      fsyncDirSync(dir);
      snapshot = { name, bytes: data.byteLength };
    }
    for (const name of candidates) {
      try {
        unlinkSync(join(dir, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    fsyncDirSync(dir);
    return { snapshot, removed: [...candidates] };
  } finally {
    await release();
  }
}

