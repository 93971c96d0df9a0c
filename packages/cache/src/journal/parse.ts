import { crc32 } from "node:zlib";
import { CHECKED_SEAL_BYTES, FRAME, type JournalRecord, Kind, MAGIC, MAGIC_BYTES, MAX_PAYLOAD, decodePayload } from "./record.js";

/** Damage found while reading a journal file; offsets are from the start of the file. */
export interface Damage {
  offset: number;
  /** `torn`: the file ends in a partial record. `corrupt`: a bad record with good ones after it. */
  kind: "torn" | "corrupt";
  /** Sequence number of the first whole record after the damage in the same file, if any. */
  nextSeq?: number | undefined;
}

/** What reading (part of) a journal file found. */
export interface ParsedChunk {
  records: JournalRecord[];
  /** Where reading should resume when the file grows: just past the last whole record. */
  resumeAt: number;
  damage: Damage[];
  /** The writer closed the file properly. */
  sealed: boolean;
}

/**
 * Decodes the record framed at `pos`, or returns undefined when it is not a whole, valid
 * record. The next record starts at {@link recordEnd}.
 */
function recordAt(buf: Buffer, pos: number): JournalRecord | undefined {
  if (pos + FRAME > buf.length || buf.readUInt32LE(pos) !== MAGIC) return undefined;
  const len = buf.readUInt32LE(pos + 4);
  const start = pos + FRAME;
  if (len > MAX_PAYLOAD || start + len > buf.length || len === 0) return undefined;
  // A plain view for the checksum: cheaper to make than a Buffer's subarray.
  if (crc32(new Uint8Array(buf.buffer, buf.byteOffset + start, len)) !== buf.readUInt32LE(pos + 8)) return undefined;
  try {
    return decodePayload(buf, start, start + len);
  } catch {
    return undefined;
  }
}

/** Where the record framed at `pos` ends, once {@link recordAt} has found it whole. */
const recordEnd = (buf: Buffer, pos: number): number => pos + FRAME + buf.readUInt32LE(pos + 4);

/** Whether any of buf[from, to) is not zero. */
function hasData(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return true;
  return false;
}

/**
 * Reads the records of a journal file (or of the part of it that starts at `base`).
 * A whole file that ends in a seal carrying its checksum, and matches it, is read without
 * checking each record's own: one checksum over the file instead of one call per record.
 * Any other file, a damaged one included, is read record by record ({@link parseRecords}),
 * which finds and reports damage.
 */
export function parseChunk(buf: Buffer, base = 0): ParsedChunk {
  return (base === 0 ? parseChecked(buf) : undefined) ?? parseRecords(buf, base);
}

/** The records of a whole file whose seal's checksum matches its bytes; undefined otherwise. */
function parseChecked(buf: Buffer): ParsedChunk | undefined {
  // A writer seals its file, then cuts off the space it preallocated: the seal ends it.
  const sealAt = buf.length - CHECKED_SEAL_BYTES;
  if (sealAt < 0) return undefined;
  const seal = recordAt(buf, sealAt);
  if (seal?.kind !== Kind.Seal || seal.checksum === undefined) return undefined;
  if (crc32(new Uint8Array(buf.buffer, buf.byteOffset, sealAt)) !== seal.checksum) return undefined;
  // Every byte before the seal is as its writer wrote it, each record's checksum included.
  const records: JournalRecord[] = [];
  let pos = 0;
  while (pos < sealAt) {
    if (pos + FRAME > sealAt || buf.readUInt32LE(pos) !== MAGIC) return undefined;
    const start = pos + FRAME;
    const end = start + buf.readUInt32LE(pos + 4);
    if (end === start || end > sealAt) return undefined;
    try {
      records.push(decodePayload(buf, start, end));
    } catch {
      return undefined;
    }
    pos = end;
  }
  records.push(seal);
  return { records, resumeAt: buf.length, damage: [], sealed: true };
}

/**
 * Reads the records of a journal file (or of the part of it that starts at `base`) one by
 * one, each checked against its own checksum.
 *
 * Files are preallocated with zeros, so reading stops cleanly at the first zero frame.
 * A record that fails its checksum is skipped when a good record follows it (damage in the
 * middle of a file: `corrupt`), and ends the reading when none does (a crash mid-write, or
 * a record that its writer is still writing: `torn`). Either way no part of a bad record
 * is ever used.
 */
export function parseRecords(buf: Buffer, base = 0): ParsedChunk {
  const records: JournalRecord[] = [];
  const damage: Damage[] = [];
  let pos = 0;
  let resumeAt = 0;
  let sealed = false;
  while (pos < buf.length) {
    const record = recordAt(buf, pos);
    if (record) {
      records.push(record);
      if (record.kind === Kind.Seal) sealed = true;
      pos = resumeAt = recordEnd(buf, pos);
      continue;
    }
    // Not a record here: find the next plausible one.
    let next = buf.indexOf(MAGIC_BYTES, pos + 1);
    while (next !== -1 && !recordAt(buf, next)) next = buf.indexOf(MAGIC_BYTES, next + 1);
    if (next === -1) {
      const zeroTail = buf.length - pos >= 4 && buf.readUInt32LE(pos) === 0 ? !hasData(buf, pos, Math.min(buf.length, pos + FRAME)) : !hasData(buf, pos, buf.length);
      if (!zeroTail) damage.push({ offset: base + pos, kind: "torn" });
      break;
    }
    damage.push({ offset: base + pos, kind: "corrupt", nextSeq: recordAt(buf, next)!.seq });
    pos = next;
  }
  return { records, resumeAt: base + resumeAt, damage, sealed };
}
