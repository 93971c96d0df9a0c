import { randomBytes } from "node:crypto";
import { closeSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync, writevSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { fdatasyncAsync, fsyncDirSync, syncDirShared } from "../fsync.js";
import { type WrittenFile, encodeHeader, encodeSeal } from "./record.js";

/** Journal files end in `.lpj`; anything else in the folder is ignored. */
export const SEGMENT_SUFFIX = ".lpj";

const FIRST_CHUNK = 256 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;
const ZEROS = Buffer.alloc(MAX_CHUNK);
const DONE: Promise<void> = Promise.resolve();

/**
 * A file up to this size is sealed with its checksum. A bigger one holds big inline bodies,
 * whose own checksums cost per byte, not per call, so reading it back would gain nothing.
 */
const CHECKSUM_MAX_BYTES = 32 * 1024 * 1024;

/**
 * crc32 of the first `length` bytes of a file, read back in pieces (from the page cache:
 * the writer has just written them) rather than kept running as records are written;
 * undefined for a file too big to be worth it or that cannot be read back (the seal then
 * goes without, as earlier ones did, and readers check record by record).
 */
function checksumOf(fd: number, length: number): number | undefined {
  if (length > CHECKSUM_MAX_BYTES) return undefined;
  const piece = Buffer.allocUnsafe(Math.min(length, 1024 * 1024));
  let crc = 0;
  try {
    for (let at = 0; at < length; ) {
      const n = readSync(fd, piece, 0, Math.min(piece.length, length - at), at);
      if (n === 0) return undefined;
      crc = crc32(piece.subarray(0, n), crc);
      at += n;
    }
  } catch {
    return undefined;
  }
  return crc;
}

/**
 * A writer's file, from which the put records that let go of their own bytes read them
 * again: each record its own range, when first asked for.
 */
class WrittenBack implements WrittenFile {
  readonly #writer: SegmentWriter;
  /** Every record written, read at once while the file was certainly there (see {@link hold}). */
  #held: Buffer | undefined;

  constructor(writer: SegmentWriter) {
    this.#writer = writer;
  }

  range(start: number, end: number): Buffer {
    const held = this.#held;
    if (held !== undefined && held.length >= end) return Buffer.from(held.subarray(start, end));
    const bytes = this.#writer.readRange(start, end);
    if (bytes.length < end - start) throw new Error(`${this.#writer.path} ends at ${start + bytes.length}, before the record that ends at ${end}`);
    return bytes;
  }

  /** Reads every record written so far now, while the file is certainly there. */
  hold(): void {
    try {
      this.#held = this.#writer.readBack(0);
    } catch {
      // Each record then tries its own range again when read, failing as a read error.
    }
  }
}

/** Journal files this process is writing to, by path: the ones from this process that are live. */
export const openSegments: Set<string> = new Set();

/** A fresh, unique journal file name; names sort roughly by creation time. */
export function segmentName(): string {
  return `${Date.now().toString(36).padStart(9, "0")}-${process.pid}-${randomBytes(4).toString("hex")}${SEGMENT_SUFFIX}`;
}

/**
 * A sync starts at once, without waiting for the event loop to turn, when this many
 * records wait for one. A caller that makes records without yielding (a chain of quick
 * tasks runs on microtasks, up to core's bound of 64 saves in flight) then goes on making
 * the next ones while they sync, instead of stopping for a sync once it has made them all;
 * a batch this big keeps the number of syncs close to one per bound.
 */
export const SYNC_BATCH = 48;

/** A promise with its resolver: the sync that tickets waiting for a later sync share. */
interface Later {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function later(): Later {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The journal file this store instance appends to. Each instance writes its own file, so
 * no two writers ever share one; other processes read it as it grows.
 *
 * Space is preallocated with zeros and records are written in place: overwriting
 * allocated space lets `fdatasync` skip the file-size update, which makes each sync about
 * twice as fast as appending. Syncs are shared (group commit): records wait in a queue and
 * go out in one write just before a sync starts, and every record written before a sync
 * starts is durable when it ends, so many concurrent puts cost one write and one sync.
 * A sync starts one turn of the event loop after the first record waits for it, or after
 * the sync before it ends (so that others join), and at once when {@link SYNC_BATCH}
 * records wait.
 */
export class SegmentWriter {
  readonly path: string;
  readonly name: string;
  readonly #dir: string;
  #fd: number;
  /**
   * The new file itself (its header, its size, its name in the folder) is not yet known to
   * be on disk: the first sync makes it so, on the thread pool, before any put it covers
   * is told it is stored.
   */
  #created = false;
  #pos = 0;
  #capacity = 0;
  /** Records waiting to be written: they go out in one write when their sync starts. */
  #queue: Buffer[] = [];
  /** Bytes in `#queue`. */
  #queued = 0;
  #appended = 0;
  #written = 0;
  #synced = 0;
  /** Where the records covered by the last successful sync end. */
  #syncedPos = 0;
  /** The sync in progress; it resolves once it has ended, whether or not it succeeded. */
  #syncing: Promise<void> | undefined;
  /** Tickets up to this one are covered by the sync in progress. */
  #syncCovers = 0;
  /** Tickets after those: resolved when the sync that covers them has ended. */
  #later: Later | undefined;
  /** A sync is to start at the next turn of the event loop. */
  #soon = false;
  /** Without syncing: the write scheduled for the end of this turn of the event loop. */
  #flushing: Promise<void> | undefined;
  #failed: Error | undefined;
  readonly #sync: boolean;

  private constructor(dir: string, name: string, fd: number, sync: boolean) {
    this.name = name;
    this.#dir = dir;
    this.path = join(dir, name);
    this.#fd = fd;
    this.#sync = sync;
  }

  /**
   * Creates a new journal file in `dir`, starting with a header record.
   * @param sync - sync to disk (the file and its folder with the first records, records in {@link durable}); false trusts the OS to write back
   */
  static create(dir: string, seq: number, sync: boolean): SegmentWriter {
    const name = segmentName();
    const fd = openSync(join(dir, name), "wx+", 0o600);
    const writer = new SegmentWriter(dir, name, fd, sync);
    try {
      writer.#write([encodeHeader(seq, { format: 1, pid: process.pid, host: hostname(), createdAt: Date.now() })]);
      // A crash before the first sync leaves at worst a file with nothing stored in it.
      writer.#created = sync;
    } catch (error) {
      closeSync(fd);
      // A file without its header (a full disk) would only be noise for every reader.
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Read as an empty journal file, which is harmless.
      }
      throw error;
    }
    writer.#syncedPos = writer.#pos;
    openSegments.add(writer.path);
    return writer;
  }

  /** Bytes of records written so far (the preallocated space after them holds nothing yet). */
  get length(): number {
    return this.#pos;
  }

  /** A write or sync failed: this file takes no more records. */
  get failed(): Error | undefined {
    return this.#failed;
  }

  /**
   * Where the next records {@link append}ed will be in the file: they are written after
   * those queued, in order and without gaps.
   */
  get end(): number {
    return this.#pos + this.#queued;
  }

  /** The file's written bytes, read back when asked for (see {@link WrittenFile}). */
  readonly file: WrittenBack = new WrittenBack(this);

  /**
   * A copy of the file's bytes from `start` to `end` (fewer past its end), read through the
   * writer's own descriptor while it is open, else by name.
   */
  readRange(start: number, end: number): Buffer {
    const own = this.#fd >= 0;
    // Closed: only the range is read, through a descriptor of its own.
    const fd = own ? this.#fd : openSync(this.path, "r");
    try {
      const buf = Buffer.allocUnsafeSlow(end - start);
      let at = 0;
      while (at < buf.length) {
        const n = readSync(fd, buf, at, buf.length - at, start + at);
        if (n === 0) break;
        at += n;
      }
      return buf.subarray(0, at);
    } finally {
      if (!own) closeSync(fd);
    }
  }

  /** The file's first `end` bytes (or all it has written, when more), read as {@link readRange} does. */
  readBack(end: number): Buffer {
    return this.readRange(0, Math.max(end, this.#pos));
  }

  #grow(end: number): void {
    let capacity = this.#capacity || FIRST_CHUNK;
    while (capacity < end) capacity += Math.min(capacity, MAX_CHUNK);
    for (let at = this.#capacity; at < capacity; ) {
      at += writeSync(this.#fd, ZEROS, 0, Math.min(MAX_CHUNK, capacity - at), at);
    }
    this.#capacity = capacity;
  }

  /** Writes records at the end, in one call (`pwritev`) when the system writes them all at once. */
  #write(records: readonly Buffer[]): void {
    let size = 0;
    for (const r of records) size += r.byteLength;
    const end = this.#pos + size;
    if (end > this.#capacity) this.#grow(end);
    let done = records.length === 1 ? writeSync(this.#fd, records[0]!, 0, size, this.#pos) : writevSync(this.#fd, records as Buffer[], this.#pos);
    if (done < size) {
      const rest = Buffer.concat(records as Buffer[], size);
      while (done < size) done += writeSync(this.#fd, rest, done, size - done, this.#pos + done);
    }
    this.#pos = end;
  }

  /** Writes out every queued record in one call. */
  #flush(): void {
    if (this.#queue.length === 0) return;
    const records = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    try {
      this.#write(records);
    } catch (error) {
      // Part of the batch may have reached the file, whole records among them: cut it off,
      // so that what the puts are told (not stored) is what every reader will find.
      this.#failed = this.#cutBack(this.#pos, error as Error);
      throw this.#failed;
    }
    this.#written = this.#appended;
  }

  /**
   * Removes everything from `pos` on after a failed write or sync. Shrinking a file needs
   * no free space, so this works on a full disk; if it still fails, the error says that
   * the records may yet be read as stored.
   */
  #cutBack(pos: number, cause: Error): Error {
    try {
      ftruncateSync(this.#fd, pos);
      this.#capacity = Math.min(this.#capacity, pos);
      try {
        fsyncSync(this.#fd);
      } catch {
        // The cut is made for every reader now; only a crash could undo it.
      }
      return cause;
    } catch (error) {
      return Object.assign(new Error(`${cause.message}; what was written of it could not be removed (${(error as Error).message}), so it may still read as stored`), {
        code: (cause as NodeJS.ErrnoException).code,
        cause,
      });
    }
  }

  /**
   * Adds records (written together, in order) and returns a ticket for {@link durable}.
   * When syncing, they wait for their sync to start (see the class); without syncing,
   * everything appended in one turn of the event loop goes out in one write at its end.
   * @throws the error of an earlier write or sync; the file is then marked failed
   */
  append(records: readonly Buffer[]): number {
    if (this.#failed) throw this.#failed;
    for (const r of records) {
      this.#queue.push(r);
      this.#queued += r.byteLength;
    }
    this.#appended++;
    if (this.#sync && !this.#syncing && this.#appended - this.#written >= SYNC_BATCH) this.#startSync();
    return this.#appended;
  }

  /** Whether the records of `ticket` (and all before) are on disk or, when not syncing, handed to the operating system. */
  isDurable(ticket: number): boolean {
    return (this.#sync ? this.#synced : this.#written) >= ticket;
  }

  /**
   * Resolves once the records of `ticket` (and all before) are on disk or, when not
   * syncing, handed to the operating system (safe from a crash of this process).
   * @throws the error of the write or sync that failed them
   */
  async durable(ticket: number): Promise<void> {
    while (!this.isDurable(ticket)) {
      if (this.#failed) throw this.#failed;
      await this.covering(ticket);
    }
  }

  /**
   * The sync (or, without syncing, the write) that covers `ticket`, started if need be:
   * it resolves when it has ended, whether or not it succeeded (ask {@link isDurable}).
   * One promise for every ticket it covers, so that a batch of puts costs one, not one each.
   */
  covering(ticket: number): Promise<void> {
    if (this.isDurable(ticket) || this.#failed) return DONE;
    if (!this.#sync) {
      this.#flushing ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          this.#flushing = undefined;
          try {
            this.#flush();
          } catch {
            // Reported through `failed`.
          }
          resolve();
        }),
      );
      return this.#flushing;
    }
    if (this.#syncing && ticket <= this.#syncCovers) return this.#syncing;
    this.#later ??= later();
    if (!this.#syncing) this.#syncSoon();
    return this.#later.promise;
  }

  /**
   * Starts a sync at the next turn of the event loop, unless one has started by then: puts
   * of tasks finishing at about the same time join it instead of each waiting for its own.
   */
  #syncSoon(): void {
    if (this.#soon) return;
    this.#soon = true;
    setImmediate(() => {
      this.#soon = false;
      if (!this.#syncing && this.#later) this.#startSync();
    });
  }

  /**
   * Writes every queued record and starts one sync for them and everything written before:
   * the tickets waiting for a later sync wait for this one.
   */
  #startSync(): void {
    const told = this.#later;
    this.#later = undefined;
    try {
      this.#flush();
    } catch {
      // That batch is cut off and its puts fail; the records written before it still get their sync.
    }
    const target = this.#written;
    const pos = this.#pos;
    this.#syncCovers = this.#appended;
    const ended = () => {
      this.#syncing = undefined;
      if (this.#later) {
        // A failed file takes no more syncs: what waited for the next one fails with it.
        if (!this.#failed) this.#syncSoon();
        else {
          this.#later.resolve();
          this.#later = undefined;
        }
      }
      told?.resolve();
    };
    const run = target > this.#synced ? (this.#created ? this.#firstSync() : fdatasyncAsync(this.#fd)) : DONE;
    this.#syncing = run.then(
      () => {
        this.#synced = Math.max(this.#synced, target);
        this.#syncedPos = Math.max(this.#syncedPos, pos);
        ended();
      },
      (error: unknown) => {
        // After a failed sync the kernel may have dropped the data: trust nothing unsynced,
        // and remove it, so no reader finds a record whose put was told it failed.
        this.#failed ??= this.#cutBack(this.#syncedPos, error as Error);
        ended();
      },
    );
  }

  /** Syncs the whole new file, then the folder that names it, off the main thread. */
  async #firstSync(): Promise<void> {
    const fd = this.#fd;
    await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
    await syncDirShared(this.#dir);
    this.#created = false;
  }

  /** Marks the file closed for readers, trims the preallocated tail and releases it. */
  async seal(seq: number): Promise<void> {
    while (this.#syncing || this.#later || this.#flushing) await (this.#later?.promise ?? this.#syncing ?? this.#flushing);
    try {
      if (!this.#failed) {
        this.#flush();
        this.#queue.push(encodeSeal(seq, checksumOf(this.#fd, this.#pos)));
        this.#flush();
        ftruncateSync(this.#fd, this.#pos);
        if (this.#sync) {
          fsyncSync(this.#fd);
          if (this.#created) fsyncDirSync(this.#dir);
          this.#created = false;
        }
      }
    } finally {
      openSegments.delete(this.path);
      closeSync(this.#fd);
      this.#fd = -1;
    }
  }
}
