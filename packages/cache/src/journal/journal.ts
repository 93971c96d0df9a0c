import { statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type Compaction, compactSegments } from "./compact.js";
import type { Damage } from "./parse.js";
import { damageReach } from "./damage.js";
import { type JournalRecord, Kind } from "./record.js";
import { type KnownSegment, type SegmentRead, headerOf, isLive, listSegments, listSegmentsSync, readSegment, readSegmentSync } from "./segments.js";
import { JournalView } from "./view.js";
import { SegmentWriter } from "./writer.js";

/**
 * A store's first reading is synchronous while its journal files total at most this many
 * bytes: more (big inline bodies) would hold the thread longer than the trips it saves.
 */
export const SYNC_SCAN_BYTES = 8 * 1024 * 1024;

/** Compact once this many closed files have piled up. */
const COMPACT_FILES = 4;
/** …or once closed files hold this many bytes more than the live entries need. */
const COMPACT_WASTE = 4 * 1024 * 1024;

/**
 * The metadata journal of one store folder: every journal file read into one
 * {@link JournalView}, plus the file this instance writes to.
 *
 * Other processes may write their own files at the same time; {@link scan} reads what
 * they have added since the last scan. Damage is reported once per file and offset.
 */
export class Journal {
  readonly view = new JournalView();
  readonly dir: string;
  readonly #segments = new Map<string, KnownSegment>();
  readonly #onDamage: (file: string, damage: Damage) => void;
  readonly #reported = new Set<string>();
  readonly #sync: boolean;
  /** Spreads this writer's numbers within each millisecond, so that writers rarely pick the same one. */
  readonly #offset = Math.floor(Math.random() * 1000);
  #writer: SegmentWriter | undefined;
  #scanning: Promise<boolean> | undefined;

  /** @param sync - whether commits wait for the disk (see the store's `fsync` option) */
  constructor(dir: string, sync: boolean, onDamage: (file: string, damage: Damage) => void) {
    this.dir = dir;
    this.#sync = sync;
    this.#onDamage = onDamage;
  }

  /**
   * Reads new journal files and the new tails of known ones. Calls made while a scan runs
   * share it.
   * @returns false when the journal folder does not exist (yet)
   */
  scan(): Promise<boolean> {
    this.#scanning ??= this.#scan().finally(() => (this.#scanning = undefined));
    return this.#scanning;
  }

  async #scan(): Promise<boolean> {
    // A file may vanish between listing and reading when another process compacts it;
    // its records are then in a newer file, which the next pass lists.
    for (let pass = 0; pass < 5; pass++) {
      const names = await listSegments(this.dir);
      if (!names) return false;
      this.#forgetGone(names);
      let vanished = false;
      for (const name of names) {
        if (name === this.#writer?.name) continue;
        if (!(await this.#read(name))) vanished = true;
      }
      if (!vanished) return true;
    }
    return true;
  }

  /**
   * A store's first reading: {@link scanSync} while the journal files total at most
   * `syncBytes`, otherwise {@link scan}.
   * @returns false when the journal folder does not exist (yet)
   */
  firstScan(syncBytes = SYNC_SCAN_BYTES): boolean | Promise<boolean> {
    const names = listSegmentsSync(this.dir);
    if (!names) return false;
    let bytes = 0;
    for (const name of names) {
      bytes += statSync(join(this.dir, name), { throwIfNoEntry: false })?.size ?? 0;
      if (bytes > syncBytes) return this.scan();
    }
    return this.scanSync();
  }

  /**
   * {@link scan}, synchronously: for a store's first reading, while nothing else waits on
   * the thread, a handful of trips through the thread pool cost more than the reading.
   */
  scanSync(): boolean {
    for (let pass = 0; pass < 5; pass++) {
      const names = listSegmentsSync(this.dir);
      if (!names) return false;
      this.#forgetGone(names);
      let vanished = false;
      for (const name of names) {
        if (name === this.#writer?.name) continue;
        const known = this.#segments.get(name);
        if (known?.sealed) continue;
        const read = readSegmentSync(join(this.dir, name), known?.resumeAt ?? 0);
        if (read) this.#absorb(name, known, read);
        else vanished = true;
      }
      if (!vanished) return true;
    }
    return true;
  }

  /** Forgets the files that are no longer listed. */
  #forgetGone(names: string[]): void {
    const listed = new Set(names);
    for (const name of this.#segments.keys()) if (!listed.has(name)) this.#segments.delete(name);
  }

  /** Reads one file from where the last read stopped; false when the file has gone. */
  async #read(name: string): Promise<boolean> {
    const path = join(this.dir, name);
    const known = this.#segments.get(name);
    if (known) {
      if (known.sealed) return true;
      let s;
      try {
        s = await stat(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw error;
      }
      if (s.size === known.size && s.mtimeMs === known.mtimeMs) return true;
    }
    const read = await readSegment(path, known?.resumeAt ?? 0);
    if (!read) return false;
    this.#absorb(name, known, read);
    return true;
  }

  /** Applies what was read from a file to the view, and reports its damage once. */
  #absorb(name: string, known: KnownSegment | undefined, read: SegmentRead): void {
    const path = join(this.dir, name);
    const { chunk } = read;
    const segment: KnownSegment = known ?? {
      name,
      path,
      info: headerOf(chunk),
      resumeAt: 0,
      sealed: false,
      size: 0,
      mtimeMs: 0,
      bytes: 0,
    };
    segment.resumeAt = chunk.resumeAt;
    segment.sealed ||= chunk.sealed;
    segment.size = read.size;
    segment.mtimeMs = read.mtimeMs;
    segment.bytes = chunk.resumeAt;
    this.#segments.set(name, segment);
    for (const record of chunk.records) this.view.apply(record);
    const closed = !isLive(segment);
    for (const damage of chunk.damage) {
      // A torn end of a file still being written is a record in progress, not damage.
      if (damage.kind === "torn" && !closed) continue;
      this.view.apply({ kind: Kind.Clear, seq: damageReach(damage, chunk.records, segment.info?.snapshot === true, read.mtimeMs) });
      const id = `${name}@${damage.offset}`;
      if (this.#reported.has(id)) continue;
      this.#reported.add(id);
      this.#onDamage(path, damage);
    }
  }

  /**
   * A sequence number above every one seen: about the time in microseconds, so that the
   * latest write wins across processes too.
   */
  nextSeq(): number {
    const seq = Math.max(Date.now() * 1000 + this.#offset, this.view.maxSeq + 1);
    this.view.maxSeq = seq;
    return seq;
  }

  #writerNow(): SegmentWriter {
    if (this.#writer?.failed) {
      // Whatever made it to the file stays readable; new records go to a fresh file. Once
      // sealed it may be compacted away, so the records read from it are read now.
      this.#writer.file.hold();
      void this.#writer.seal(0).catch(() => {});
      this.#writer = undefined;
    }
    if (!this.#writer) {
      this.#writer = SegmentWriter.create(this.dir, this.nextSeq(), this.#sync);
      this.view.writesTo(this.#writer.file);
    }
    return this.#writer;
  }

  /**
   * Writes records and, once they are durable, applies them to the view: a put becomes
   * visible when it has resolved, never before.
   */
  commit(encoded: readonly Buffer[], records: readonly JournalRecord[]): Promise<void> {
    let writer: SegmentWriter;
    let ticket: number;
    let at: number;
    try {
      writer = this.#writerNow();
      at = writer.end;
      ticket = writer.append(encoded);
    } catch (error) {
      return Promise.reject(error);
    }
    const apply = () => {
      // Each put encoded for this commit now reads its bytes from the file, where they are.
      const spill = encoded.length === records.length;
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        if (spill && record.kind === Kind.Put) record.spill(encoded[i]!, writer.file, at);
        if (spill) at += encoded[i]!.byteLength;
        this.view.apply(record);
      }
    };
    // The promise of the sync is shared by the whole batch: one more per commit, not several.
    return writer.covering(ticket).then(() => (writer.isDurable(ticket) ? apply() : writer.durable(ticket).then(apply)));
  }

  /** Writes records whose loss in a crash does no harm (usage times), without waiting for a sync. */
  appendLazily(encoded: readonly Buffer[], records: readonly JournalRecord[]): void {
    this.#writerNow().append(encoded);
    for (const record of records) this.view.apply(record);
  }

  /** Whether another writer (another process, or another store in this one) may be adding records. */
  othersWriting(): boolean {
    for (const s of this.#segments.values()) if (isLive(s)) return true;
    return false;
  }

  /** Journal files that can take no more records: the ones compaction may fold. */
  #closed(): KnownSegment[] {
    return [...this.#segments.values()].filter((s) => !isLive(s));
  }

  /** Bytes the live entries need in the journal, roughly. */
  #liveBytes(): number {
    let n = 0;
    for (const e of this.view.entries.values()) n += 64 + e.key.length + (e.inline ? e.bodyEnd : e.metaEnd) - e.metaAt;
    return n;
  }

  /**
   * Folds closed journal files into one. Without `force`, only when enough files or
   * enough dead bytes have piled up to make it worth it.
   */
  async compact(force = false): Promise<Compaction | undefined> {
    const closed = this.#closed();
    const bytes = closed.reduce((n, s) => n + s.bytes, 0);
    const worth = closed.length >= COMPACT_FILES || (closed.length >= 2 && bytes > 2 * this.#liveBytes() + COMPACT_WASTE);
    if (closed.length === 0 || (!force && !worth) || (closed.length === 1 && closed[0]!.info?.snapshot && !force)) return undefined;
    const done = await compactSegments(
      this.dir,
      closed.map((s) => s.name),
    );
    if (!done) return undefined;
    for (const name of done.removed) this.#segments.delete(name);
    if (done.snapshot) {
      const path = join(this.dir, done.snapshot.name);
      const s = await stat(path);
      this.#segments.set(done.snapshot.name, {
        name: done.snapshot.name,
        path,
        info: { format: 1, pid: process.pid, host: "", createdAt: Date.now(), snapshot: true },
        resumeAt: done.snapshot.bytes,
        sealed: true,
        size: s.size,
        mtimeMs: s.mtimeMs,
        bytes: done.snapshot.bytes,
      });
    }
    return done;
  }

  /** Bytes of records in the journal files known (preallocated space not counted). */
  usedBytes(): number {
    let n = this.#writer?.length ?? 0;
    for (const s of this.#segments.values()) n += s.bytes;
    return n;
  }

  /** Seals this instance's file, so the next reader knows it is complete. */
  async close(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    await writer?.seal(this.nextSeq());
  }
}

