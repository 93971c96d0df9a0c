import { crc32 } from "node:zlib";
import { parseWithoutComponents } from "./lazy-meta.js";

/**
 * Journal records. Each is framed as `magic | payload length | crc32(payload) | payload`
 * (little endian), so a reader can tell a whole record from a torn or damaged one, and
 * can find the next record after damage by looking for the magic number.
 */
export const MAGIC = 0x314a504c; // "LPJ1"
export const MAGIC_BYTES: Buffer = Buffer.from("LPJ1", "latin1");
export const FRAME = 12;
/** Larger lengths can only come from damage; readers treat them as such. */
export const MAX_PAYLOAD = 0x7fff_ffff;

export enum Kind {
  Put = 1,
  Delete = 2,
  Clear = 3,
  Use = 4,
  Header = 5,
  Seal = 6,
}

/** Sequence numbers are microseconds since the epoch, bumped to stay unique and increasing. */
export const seqTime = (seq: number): number => Math.floor(seq / 1000);

/**
 * A journal file a store writes, from which the put records it wrote read their bytes
 * again once they have let go of their own (see {@link PutRecord.spill}).
 */
export interface WrittenFile {
  /**
   * A copy of the bytes from `start` to `end` (from the page cache: the writer has just
   * written them).
   * @throws when they cannot be read whole
   */
  range(start: number, end: number): Buffer;
}

/**
 * A result's metadata and, for small results, its body. Both stay where they were read or
 * encoded (`src`, shared by every record of a file read at once): a view of thousands of
 * entries then holds no Buffer object per entry, and metadata is decoded only when asked for.
 * The view keeps the record itself as the entry of its key. A record this process wrote
 * lets go of its encoded bytes once they are in the journal file, and reads them from there
 * if ever asked (see {@link spill}): a run storing thousands of results does not keep a copy
 * of all their metadata in memory, which it seldom reads again.
 */
export class PutRecord {
  readonly kind = Kind.Put as const;
  /** The digest, or until asked for, where it starts in `src`: most entries of a run never need it. */
  #digest: string | number;
  /** Set once used or told of a later use; until then, the time it was written. */
  #usedAt: number | undefined;
  /** The bytes that hold the record, or undefined once they are read from `#file` instead. */
  #src: Buffer | undefined;
  #file: WrittenFile | undefined;
  #metaAt: number;
  #metaEnd: number;
  #bodyEnd: number;
  /**
   * Where the record's frame starts: in `src`, for a record encoded here and not yet in its
   * file; in `#file` once there; else -1.
   */
  #frameAt: number;

  constructor(
    readonly seq: number,
    readonly key: string,
    readonly size: number,
    /** The digest, or where it starts in `src` (it ends 5 bytes before the metadata). */
    digest: string | number,
    /** The bytes that hold the digest, the metadata and the inline body. */
    src: Buffer,
    /** Where the metadata (JSON) lies in `src`; an inline body follows it. */
    metaAt: number,
    metaEnd: number,
    /** Where the inline body ends in `src`, or -1 when the body is in the content store. */
    bodyEnd: number,
    /** Where the encoded record starts in `src`, when it was encoded here to be written (see {@link spill}). */
    frameAt = -1,
  ) {
    this.#digest = digest;
    this.#src = src;
    this.#metaAt = metaAt;
    this.#metaEnd = metaEnd;
    this.#bodyEnd = bodyEnd;
    this.#frameAt = frameAt;
  }

  /** The bytes that hold the digest, the metadata and the inline body. */
  get src(): Buffer {
    // Read back once asked for: its own bytes, kept from then on (few records are read again).
    if (this.#src === undefined) this.#readBack();
    return this.#src!;
  }

  /** Where the metadata (JSON) lies in `src`; an inline body follows it. */
  get metaAt(): number {
    return this.#metaAt;
  }

  get metaEnd(): number {
    return this.#metaEnd;
  }

  /** Where the inline body ends in `src`, or -1 when the body is in the content store. */
  get bodyEnd(): number {
    return this.#bodyEnd;
  }

  /**
   * Lets go of the encoded bytes once `encoded` (this record, as {@link encodePut} gave it)
   * is in `file` at `offset`: from then on they are read from the file when asked for.
   * @returns false, changing nothing, when `encoded` is not this record's own encoding
   */
  spill(encoded: Uint8Array, file: WrittenFile, offset: number): boolean {
    const src = this.#src;
    if (src === undefined || this.#frameAt < 0 || encoded.buffer !== src.buffer || encoded.byteOffset !== src.byteOffset + this.#frameAt) return false;
    if (typeof this.#digest === "number") this.#digest = this.digest;
    const shift = offset - this.#frameAt;
    this.#metaAt += shift;
    this.#metaEnd += shift;
    if (this.#bodyEnd >= 0) this.#bodyEnd += shift;
    this.#src = undefined;
    this.#file = file;
    this.#frameAt = offset;
    return true;
  }

  /** The file this record reads its bytes from, once it has let go of its own (see {@link spill}). */
  get spilledTo(): WrittenFile | undefined {
    return this.#file;
  }

  /**
   * Takes a copy of its own bytes from the file it was written to: for a record another
   * store in this process told of, which may outlive that store and its file. When they
   * cannot be read now, it stays as it is and tries again when read.
   */
  keepBytes(): void {
    try {
      this.#readBack();
    } catch {
      // Read again (and the failure reported) where its bytes are asked for.
    }
  }

  /** @throws when its bytes cannot be read back from its file: a read error, never a damaged record */
  #readBack(): void {
    const file = this.#file;
    if (file === undefined) return;
    const start = this.#frameAt;
    this.#src = file.range(start, this.#bodyEnd < 0 ? this.#metaEnd : this.#bodyEnd);
    this.#file = undefined;
    this.#frameAt = -1;
    this.#metaAt -= start;
    this.#metaEnd -= start;
    if (this.#bodyEnd >= 0) this.#bodyEnd -= start;
  }

  /** The body's digest (sha256 SRI). */
  get digest(): string {
    const digest = this.#digest;
    if (typeof digest === "string") return digest;
    // Followed by the inline flag (1 byte) and the metadata's length (4).
    return (this.#digest = latin1Of(this.src, digest, this.metaAt - 5));
  }

  /** Last use (ms since the epoch), for least-recently-used eviction; starts as the time it was written. */
  get usedAt(): number {
    return this.#usedAt ?? seqTime(this.seq);
  }

  set usedAt(time: number) {
    this.#usedAt = time;
  }

  /** Whether the body is kept in the journal rather than in the content store. */
  get inline(): boolean {
    return this.bodyEnd >= 0;
  }

  /** The metadata as stored (JSON). */
  get meta(): Buffer {
    return this.src.subarray(this.metaAt, this.metaEnd);
  }

  /** The body, when it is kept in the journal (a view, not a copy); otherwise undefined. */
  get body(): Buffer | undefined {
    return this.bodyEnd < 0 ? undefined : this.src.subarray(this.metaEnd, this.bodyEnd);
  }

  /** The metadata decoded: a fresh object on every call, or undefined when it does not decode to one. */
  decodeMeta(): object | undefined {
    return metaOf(utf8Of(this.src, this.metaAt, this.metaEnd));
  }

  /**
   * The metadata decoded as {@link decodeMeta} does, but with its `components` left to
   * decode when called for (a function), where they are plainly an object: a freshness
   * decision rarely needs them, and they are most of the metadata.
   */
  decodeMetaLazily(): object | undefined {
    const text = utf8Of(this.src, this.metaAt, this.metaEnd);
    let meta: Record<string, unknown> | undefined;
    try {
      meta = parseWithoutComponents(text);
    } catch {
      // A regular expression out of stack on huge metadata: read as a whole instead.
    }
    if (!meta) return metaOf(text);
    // Its strings are slices of the whole text, which a run keeping the digest (every task's
    // record does) would keep alive with them: the digest this record holds anyway instead.
    const digest = this.digest;
    if (meta.digest === digest) meta.digest = digest;
    return meta;
  }
}

/** Metadata JSON decoded, or undefined when it does not decode to an object. */
function metaOf(text: string): object | undefined {
  try {
    const meta: unknown = JSON.parse(text);
    return typeof meta === "object" && meta !== null ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Removes every version of `key` up to `upTo` (a later put of the key survives). */
export interface DeleteRecord {
  kind: Kind.Delete;
  seq: number;
  key: string;
  upTo: number;
}

/** Removes every entry written up to `seq`. */
export interface ClearRecord {
  kind: Kind.Clear;
  seq: number;
}

/** When version `version` of `key` was last used, for least-recently-used eviction. */
export interface UseRecord {
  kind: Kind.Use;
  seq: number;
  key: string;
  version: number;
  usedAt: number;
}

/** Who wrote a journal file: first record of each file. */
export interface SegmentInfo {
  format: 1;
  pid: number;
  host: string;
  createdAt: number;
  /** Written by compaction from closed files, rather than by a running store. */
  snapshot?: boolean;
}

export interface HeaderRecord {
  kind: Kind.Header;
  seq: number;
  info: SegmentInfo;
}

/** Last record of a file its writer closed properly. */
export interface SealRecord {
  kind: Kind.Seal;
  seq: number;
  /**
   * crc32 of every byte of the file before the seal, so that a reader can check the whole
   * file at once instead of record by record. Absent in seals written by earlier versions.
   */
  checksum?: number | undefined;
}

export type JournalRecord = PutRecord | DeleteRecord | ClearRecord | UseRecord | HeaderRecord | SealRecord;

/** Writes payloads field by field into one buffer that already has room for the frame. */
class Writer {
  readonly buf: Buffer;
  pos = FRAME;
  constructor(payloadSize: number) {
    this.buf = Buffer.allocUnsafe(FRAME + payloadSize);
  }
  u8(v: number) {
    this.pos = this.buf.writeUInt8(v, this.pos);
  }
  u16(v: number) {
    this.pos = this.buf.writeUInt16LE(v, this.pos);
  }
  u32(v: number) {
    this.pos = this.buf.writeUInt32LE(v, this.pos);
  }
  f64(v: number) {
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }
  bytes(b: Uint8Array) {
    this.buf.set(b, this.pos);
    this.pos += b.byteLength;
  }
  /** Fills in the frame and returns the whole record. */
  finish(): Buffer {
    const payload = this.buf.subarray(FRAME, this.pos);
    this.buf.writeUInt32LE(MAGIC, 0);
    this.buf.writeUInt32LE(payload.byteLength, 4);
    this.buf.writeUInt32LE(crc32(payload), 8);
    return this.buf.subarray(0, this.pos);
  }
}

/** Longest key the journal can hold, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 0xffff;

/** Room for small put records, carved out in order; see {@link putBuffer}. */
const SLAB = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB);
let slabUsed = 0;
/** Where the space {@link putBuffer} last gave starts in its buffer. */
let putAt = 0;

/**
 * Space for one put record: the buffer it goes in, from {@link putAt} on. Small ones are
 * packed into slabs of their own rather than cut from Node's shared pool, and refer to the
 * slab itself, not to a Buffer each. A record is held until it is in its journal file (see
 * {@link PutRecord.spill}), and a slab goes once every record in it is.
 */
function putBuffer(size: number): Buffer {
  if (size > SLAB / 8) {
    putAt = 0;
    return Buffer.allocUnsafeSlow(size);
  }
  if (slabUsed + size > SLAB) {
    slab = Buffer.allocUnsafeSlow(SLAB);
    slabUsed = 0;
  }
  putAt = slabUsed;
  slabUsed += (size + 7) & ~7;
  return slab;
}

/**
 * Encodes a put. Strings are written straight into the record (no intermediate buffers):
 * this runs once per stored result, thousands of times in a big run.
 * @returns the encoded record, and the put it decodes to (sharing its bytes)
 */
export function encodePut(
  seq: number,
  key: string,
  size: number,
  digest: string,
  meta: string,
  body: Uint8Array | undefined,
): { record: Buffer; put: PutRecord } {
  const keyLen = Buffer.byteLength(key, "utf8");
  const metaLen = Buffer.byteLength(meta, "utf8");
  const payload = 1 + 8 + 2 + keyLen + 8 + 1 + digest.length + 1 + 4 + metaLen + (body?.byteLength ?? 0);
  const buf = putBuffer(FRAME + payload);
  const at = putAt;
  const end = at + FRAME + payload;
  let p = at + FRAME;
  buf[p++] = Kind.Put;
  p = buf.writeDoubleLE(seq, p);
  p = buf.writeUInt16LE(keyLen, p);
  p += buf.write(key, p, keyLen, "utf8");
  p = buf.writeDoubleLE(size, p);
  buf[p++] = digest.length;
  p += buf.write(digest, p, digest.length, "latin1");
  buf[p++] = body ? 1 : 0;
  p = buf.writeUInt32LE(metaLen, p);
  const metaAt = p;
  p += buf.write(meta, p, metaLen, "utf8");
  if (body) buf.set(body, p);
  buf.writeUInt32LE(MAGIC, at);
  buf.writeUInt32LE(payload, at + 4);
  buf.writeUInt32LE(crc32(new Uint8Array(buf.buffer, buf.byteOffset + at + FRAME, payload)), at + 8);
  return { record: buf.subarray(at, end), put: new PutRecord(seq, key, size, digest, buf, metaAt, p, body ? end : -1, at) };
}

export function encodeDelete(seq: number, key: Uint8Array, upTo: number): Buffer {
  const w = new Writer(1 + 8 + 8 + 2 + key.byteLength);
  w.u8(Kind.Delete);
  w.f64(seq);
  w.f64(upTo);
  w.u16(key.byteLength);
  w.bytes(key);
  return w.finish();
}

export function encodeClear(seq: number): Buffer {
  const w = new Writer(1 + 8);
  w.u8(Kind.Clear);
  w.f64(seq);
  return w.finish();
}

export function encodeUse(seq: number, key: Uint8Array, version: number, usedAt: number): Buffer {
  const w = new Writer(1 + 8 + 8 + 8 + 2 + key.byteLength);
  w.u8(Kind.Use);
  w.f64(seq);
  w.f64(version);
  w.f64(usedAt);
  w.u16(key.byteLength);
  w.bytes(key);
  return w.finish();
}

export function encodeHeader(seq: number, info: SegmentInfo): Buffer {
  const json = Buffer.from(JSON.stringify(info), "utf8");
  const w = new Writer(1 + 8 + json.byteLength);
  w.u8(Kind.Header);
  w.f64(seq);
  w.bytes(json);
  return w.finish();
}

/** Bytes of a seal record that carries its file's checksum, frame included. */
export const CHECKED_SEAL_BYTES = FRAME + 1 + 8 + 4;

/**
 * Encodes a seal; `checksum` is the crc32 of every byte of the file before it. Readers of
 * earlier versions read a seal's kind and number and ignore the rest of its payload.
 */
export function encodeSeal(seq: number, checksum?: number): Buffer {
  const w = new Writer(1 + 8 + (checksum === undefined ? 0 : 4));
  w.u8(Kind.Seal);
  w.f64(seq);
  if (checksum !== undefined) w.u32(checksum);
  return w.finish();
}

/**
 * Buffer's own slicing decoders, called directly: `toString(encoding, …)` looks the encoding
 * up by name first, and a journal read decodes a key and a digest per record.
 */
interface Slicing {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
const utf8 = (buf: Buffer, start: number, end: number): string => (buf as unknown as Slicing).utf8Slice(start, end);
const latin1 = (buf: Buffer, start: number, end: number): string => (buf as unknown as Slicing).latin1Slice(start, end);

/** `buf.toString("utf8", start, end)` for whole numbers from 0 up: the range clipped to the buffer. */
export function utf8Of(buf: Buffer, start: number, end: number): string {
  const to = Math.min(end, buf.length);
  return to > start ? utf8(buf, start, to) : "";
}

/** `buf.toString("latin1", start, end)`, likewise. */
function latin1Of(buf: Buffer, start: number, end: number): string {
  const to = Math.min(end, buf.length);
  return to > start ? latin1(buf, start, to) : "";
}

/** A key (length-prefixed, UTF-8) at `at`. */
function keyAt(buf: Buffer, at: number): string {
  const len = buf.readUInt16LE(at);
  return utf8Of(buf, at + 2, at + 2 + len);
}

/**
 * Decodes one payload whose checksum has been verified. A put refers to `buf` (no copy).
 * @throws RangeError when the payload is malformed (a record from a newer format)
 */
export function decodePayload(buf: Buffer, start: number, end: number): JournalRecord {
  let p = start;
  const kind = buf.readUInt8(p);
  const seq = buf.readDoubleLE(p + 1);
  p += 9;
  switch (kind) {
    case Kind.Put: {
      // Single bytes read by index, each field checked against the record's end: once per
      // stored result on every open, where a method call per byte shows.
      if (p + 2 > end) throw new RangeError("put record too short");
      const keyLen = buf[p]! | (buf[p + 1]! << 8);
      const k = utf8Of(buf, p + 2, p + 2 + keyLen);
      p += 2 + keyLen;
      if (p + 9 > end) throw new RangeError("key runs past the record");
      const size = buf.readDoubleLE(p);
      const digestAt = p + 9;
      p = digestAt + buf[p + 8]!;
      if (p + 5 > end) throw new RangeError("digest runs past the record");
      const inline = buf[p] === 1;
      const mlen = buf.readUInt32LE(p + 1);
      p += 5;
      if (p + mlen > end) throw new RangeError("metadata runs past the record");
      return new PutRecord(seq, k, size, digestAt, buf, p, p + mlen, inline ? end : -1);
    }
    case Kind.Delete:
      return { kind: Kind.Delete, seq, upTo: buf.readDoubleLE(p), key: keyAt(buf, p + 8) };
    case Kind.Clear:
      return { kind: Kind.Clear, seq };
    case Kind.Use:
      return { kind: Kind.Use, seq, version: buf.readDoubleLE(p), usedAt: buf.readDoubleLE(p + 8), key: keyAt(buf, p + 16) };
    case Kind.Header:
      return { kind: Kind.Header, seq, info: JSON.parse(utf8Of(buf, p, end)) as SegmentInfo };
    case Kind.Seal:
      return end - p >= 4 ? { kind: Kind.Seal, seq, checksum: buf.readUInt32LE(p) } : { kind: Kind.Seal, seq };
    default:
      throw new RangeError(`unknown record kind ${kind}`);
  }
}
