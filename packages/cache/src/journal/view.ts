import { type JournalRecord, Kind, type PutRecord, type WrittenFile } from "./record.js";

/**
 * One stored result as the journal describes it: the put record that wrote it. Its version
 * is its `seq` (later versions win).
 */
export type Entry = PutRecord;

/**
 * The state the journal records add up to. Records may arrive in any order (several
 * files, read at different times): every rule compares sequence numbers, so the result
 * is the same whatever the order — the latest write of a key wins, and a delete removes
 * only the versions written before it.
 */
export class JournalView {
  readonly entries = new Map<string, Entry>();
  /** Per key, every version up to this one is deleted. */
  readonly deleted = new Map<string, number>();
  /** Every version up to this one is cleared. */
  clearedUpTo = 0;
  /** Highest sequence number seen. */
  maxSeq = 0;
  /** Bytes of result bodies, inline or not: what `maxSize` limits. */
  totalSize = 0;
  /** How many entries use each content-store digest. */
  readonly contentRefs = new Map<string, number>();
  /** The files this view's own journal writes: see {@link #put}. */
  readonly #ownFiles = new Set<WrittenFile>();

  /** Records that `file` is written by this view's own journal. */
  writesTo(file: WrittenFile): void {
    this.#ownFiles.add(file);
  }

  apply(record: JournalRecord): void {
    if (record.seq > this.maxSeq) this.maxSeq = record.seq;
    switch (record.kind) {
      case Kind.Put:
        return this.#put(record);
      case Kind.Delete: {
        if ((this.deleted.get(record.key) ?? 0) < record.upTo) this.deleted.set(record.key, record.upTo);
        const entry = this.entries.get(record.key);
        if (entry && entry.seq <= record.upTo) this.#remove(entry);
        return;
      }
      case Kind.Clear: {
        if (record.seq <= this.clearedUpTo) return;
        this.clearedUpTo = record.seq;
        for (const entry of this.entries.values()) if (entry.seq <= record.seq) this.#remove(entry);
        return;
      }
      case Kind.Use: {
        const entry = this.entries.get(record.key);
        if (entry && entry.seq === record.version && entry.usedAt < record.usedAt) entry.usedAt = record.usedAt;
        return;
      }
      default:
        return;
    }
  }

  #put(record: PutRecord): void {
    if (record.seq <= this.clearedUpTo || record.seq <= (this.deleted.get(record.key) ?? 0)) return;
    const old = this.entries.get(record.key);
    // Two processes may pick the same number: the digest breaks the tie, the same way everywhere.
    if (old && (old.seq > record.seq || (old.seq === record.seq && old.digest >= record.digest))) return;
    if (old) this.#remove(old);
    // A put another store in this process wrote and told of reads its bytes from that
    // store's file, which may go (compacted) once that store has closed: it takes a copy.
    const file = record.spilledTo;
    if (file !== undefined && !this.#ownFiles.has(file)) record.keepBytes();
    this.entries.set(record.key, record);
    this.totalSize += record.size;
    if (!record.inline) this.contentRefs.set(record.digest, (this.contentRefs.get(record.digest) ?? 0) + 1);
  }

  #remove(entry: Entry): void {
    this.entries.delete(entry.key);
    this.totalSize -= entry.size;
    if (!entry.inline) {
      const n = (this.contentRefs.get(entry.digest) ?? 1) - 1;
      if (n > 0) this.contentRefs.set(entry.digest, n);
      else this.contentRefs.delete(entry.digest);
    }
  }

  /** Whether some entry keeps its body under `digest` in the content store. */
  usesContent(digest: string): boolean {
    return this.contentRefs.has(digest);
  }
}
