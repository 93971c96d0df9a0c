import { mkdirSync, realpathSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { type BodySink, InvalidOptionError, type LazyResultMeta, LpError, type PruneReport, type PutOptions, type ResultMeta, type ResultStore, StoreError, type StoredResult, isExpired } from "@lp/core";
import { errorMessage } from "@lp/core/internal";
import { COPIED_FROM, contentPath, isSha256Sri, readContent, removeContent, removeStaleTemp, sha256Sri, streamContent, writeContent } from "./content.js";
import { collectContent } from "./content-gc.js";
import { ContentSink } from "./content-sink.js";
import { diskUsageOf } from "./disk-usage.js";
import { type CacheEntry, type CacheEntryDetails, toCacheEntry } from "./entry.js";
import { type CacheIntegrityWarning, CacheReadOnlyError } from "./errors.js";
import { checkOwner, claimFolder, refuseLinks } from "./folder.js";
import { Journal } from "./journal/journal.js";
import type { Damage } from "./journal/parse.js";
import { type DeleteRecord, type JournalRecord, Kind, MAX_KEY_BYTES, type PutRecord, type UseRecord, encodeClear, encodeDelete, encodePut, encodeUse } from "./journal/record.js";
import { leastRecentlyUsed } from "./journal/evict.js";
import type { Entry } from "./journal/view.js";
import { type CacacheStoreInit, checkOptions } from "./options.js";
import { defaultHome, pipelineDir } from "./paths.js";
import { bodyWarning, journalWarning } from "./warnings.js";
import { PRESENCE_DIR, Presence, collectAlone } from "./presence.js";
import { faultHint } from "./fault-hint.js";
import { readOnlyFolder } from "./read-only.js";
import { type FolderPeers, joinFolder } from "./open-folders.js";

const keyBytes = (key: string) => Buffer.from(key, "utf8");
const NOTHING: Promise<undefined> = Promise.resolve(undefined);
const EMPTY = new Uint8Array(0);


/**
 * A durable result store on disk, built for many small results and a few big ones.
 *
 * Metadata (and bodies up to `inlineMaxBytes`) go into an append-only journal with a
 * checksum per record, read once when the store opens; bigger bodies go into cacache's
 * content store, addressed by their digest. A put is durable when it resolves (concurrent
 * puts share one sync); a crash at any moment leaves every finished put intact and no half
 * entry visible. Every body is verified against its digest when read: one that does not
 * match is reported through `onWarning`, dropped, and treated as missing. Several
 * processes may use the same folder at once: each writes its own journal file. Stores on
 * one folder in one process (two pipelines of one name) see each other's puts and deletes
 * as soon as they resolve.
 *
 * @example
 * const store = new CacacheStore({ pipeline: "Example1" }); // <project>/.little_pipelines/Example1
 * const pipeline = new Pipeline("Example1", { store });
 */
export class CacacheStore implements ResultStore {
  /** The folder the results are kept in. */
  readonly dir: string;
  /** The pipeline the folder belongs to, when the store was made for one. */
  readonly pipeline: string | undefined;
  readonly description: string;
  /** Bodies are read from this machine's disk: reading one back costs less than sending it. */
  readonly readsLocally: boolean = true;
  readonly #contentRoot: string;
  readonly #journalDir: string;
  readonly #maxSize: number | undefined;
  readonly #inlineMax: number;
  readonly #fsync: boolean;
  readonly #onWarning: (warning: CacheIntegrityWarning) => void;
  #journal: Journal | undefined;
  #presence: Presence | undefined;
  /** The other stores open on this folder in this process, told of every commit. */
  #peers: FolderPeers | undefined;
  #opening: Promise<Journal> | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Content digests being written by this instance, which must not be collected meanwhile. */
  readonly #writing = new Map<string, number>();
  readonly #usedSinceOpen = new Set<string>();
  /**
   * The store's own copy of the last big body it wrote, verified against its digest, for
   * the first reader (`getResult()` right after a run) instead of a read and a hash. Only
   * one is kept, and only until it is read, another big body is written, or the next run
   * opens the store.
   */
  #justWritten: { digest: string; body: Buffer } | undefined;

  /**
   * @param options - `pipeline` (folder `<home>/<pipeline>`) or `dir`, plus {@link CacacheStoreInit}'s options
   * @throws InvalidOptionError for a bad option, or when neither `pipeline` nor `dir` is given
   */
  constructor(options: CacacheStoreInit) {
    checkOptions("new CacacheStore()", options);
    if (options.dir === undefined && options.pipeline === undefined) {
      throw new InvalidOptionError("new CacacheStore()", "pipeline", "a pipeline name (or give `dir`)", undefined);
    }
    this.pipeline = options.pipeline;
    this.dir = options.dir !== undefined ? resolve(options.dir) : pipelineDir(options.pipeline!, options.home !== undefined ? resolve(options.home) : defaultHome());
    this.description = `cacache:${this.dir}`;
    this.#contentRoot = join(this.dir, "content");
    this.#journalDir = join(this.dir, "journal");
    this.#maxSize = options.maxSize;
    this.#inlineMax = options.inlineMaxBytes ?? 64 * 1024;
    this.#fsync = options.fsync ?? true;
    this.#onWarning = options.onWarning ?? ((w) => process.emitWarning(w));
  }

  // ---- opening and closing -------------------------------------------------------------

  /** Loads the journal, or reads what other processes have added since. Core calls it at the start of each run. */
  async open(): Promise<void> {
    this.#justWritten = undefined;
    if (this.#journal) await this.#guard("read the journal", () => this.#journal!.scan());
    else await this.#ready();
  }

  /** Waits for pending writes, records usage times and seals this instance's journal file. Using the store again reopens it. */
  async close(): Promise<void> {
    const journal = this.#journal ?? (await this.#opening?.catch(() => undefined));
    await Promise.allSettled(this.#inFlight);
    const presence = this.#presence;
    const peers = this.#peers;
    this.#justWritten = undefined;
    this.#journal = undefined;
    this.#presence = undefined;
    this.#opening = undefined;
    try {
      if (journal) {
        await this.#guard("close the journal", async () => {
          this.#writeUsage(journal);
          await journal.close();
        });
      }
    } finally {
      // A put or delete begun while closing still tells the other stores on the folder of
      // what it wrote: they are left only once it has settled.
      await Promise.allSettled(this.#inFlight);
      peers?.leave();
      if (this.#peers === peers) this.#peers = undefined;
      await presence?.leave();
    }
  }

  #ready(): Promise<Journal> {
    if (this.#journal) return Promise.resolve(this.#journal);
    this.#opening ??= this.#guard("open the store", () => this.#load()).then(
      (journal) => (this.#journal = journal),
      (error: unknown) => {
        this.#opening = undefined;
        throw error;
      },
    );
    return this.#opening;
  }

  async #load(): Promise<Journal> {
    // A folder private to the user (results may hold anything a task read), and links in it
    // are never followed. Modes are given everywhere, so the umask can only narrow them.
    // Synchronous file-system calls up to the journal's scan: see folder.ts.
    refuseLinks([this.dir]);
    mkdirSync(join(this.dir, PRESENCE_DIR), { recursive: true, mode: 0o700 });
    const content = this.#contentRoot;
    refuseLinks([join(this.dir, PRESENCE_DIR), this.#journalDir, content, join(content, "content-v2"), join(content, "content-v2", "sha256"), join(content, "lp-tmp")]);
    // Announced before the journal is read: see Presence.
    const presence = await Presence.enter(this.dir);
    let peers: FolderPeers | undefined;
    try {
      const journal = new Journal(this.#journalDir, this.#fsync, (file, damage) => this.#journalDamage(file, damage));
      // Joined before the first reading: a record another store here commits meanwhile is
      // then either in the files read or told.
      peers = joinFolder(realpathSync(this.dir), journal.view);
      // Read without trips through the thread pool while the journal is small: nothing else
      // waits on the thread yet.
      const found = await journal.firstScan();
      if (!found) {
        mkdirSync(this.#journalDir, { recursive: true, mode: 0o700 });
        if (this.pipeline !== undefined) claimFolder(this.dir, this.pipeline);
      } else if (this.pipeline !== undefined) checkOwner(this.dir, this.pipeline);
      await journal.compact().catch(() => {
        // Housekeeping only: the journal reads the same without it, and the next open retries.
      });
      this.#usedSinceOpen.clear();
      this.#presence = presence;
      this.#peers = peers;
      if (this.#maxSize !== undefined) await this.#evict(journal, undefined);
      return journal;
    } catch (error) {
      peers?.leave();
      this.#presence = undefined;
      await presence.leave();
      throw error;
    }
  }

  /** Whether another store instance, here or in another process, may read from the folder. */
  async #shared(journal: Journal): Promise<boolean> {
    return journal.othersWriting() || (await (this.#presence?.othersPresent() ?? Promise.resolve(true)));
  }

  /** Runs `fn`, turning file-system failures into StoreErrors that say what and where. */
  async #guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      return this.#fault(what, error);
    }
  }

  /** A failure to `what`, as the StoreError (or read-only error) that says what and where. */
  async #fault(what: string, error: unknown): Promise<never> {
    if (error instanceof LpError) throw error;
    const readOnly = await readOnlyFolder(this.dir, error);
    if (readOnly) throw new CacheReadOnlyError(this.dir, readOnly.folder, what, readOnly.cause);
    throw new StoreError(`Could not ${what} in ${this.dir}: ${errorMessage(error)}.${faultHint(error)}`, error);
  }

  /** Keeps track of an operation so that `close()` waits for it. */
  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const done = () => this.#inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  // ---- warnings ------------------------------------------------------------------------

  #warn(warning: CacheIntegrityWarning): void {
    try {
      this.#onWarning(warning);
    } catch {
      // A failing warning handler must not turn a recoverable problem into a failure.
    }
  }

  #journalDamage(file: string, damage: Damage): void {
    this.#warn(journalWarning(file, damage));
  }

  #bodyProblem(entry: Entry, problem: "missing" | "corrupt"): void {
    this.#warn(bodyWarning(entry.key, entry.inline ? this.#journalDir : contentPath(this.#contentRoot, entry.digest), entry.digest, problem));
  }

  // ---- reading ---------------------------------------------------------------------------

  /**
   * An entry's metadata, decoded afresh (the caller may change it); undefined when it does
   * not decode. Not kept decoded: a run reads each entry's metadata about once, and decoded
   * objects would take several times the memory of the bytes.
   */
  #meta(entry: Entry): ResultMeta | undefined {
    return entry.decodeMeta() as ResultMeta | undefined;
  }

  #used(entry: Entry): void {
    if (this.#maxSize === undefined) return;
    entry.usedAt = Date.now();
    this.#usedSinceOpen.add(entry.key);
  }

  /** Metadata only; never reads a body. */
  getMeta(key: string): Promise<ResultMeta | undefined> {
    // Not async: called once per task, and an open store answers without waiting for anything.
    const journal = this.#journal;
    if (!journal) return this.#ready().then(() => this.getMeta(key));
    const entry = journal.view.entries.get(key);
    if (!entry) return NOTHING;
    this.#used(entry);
    return Promise.resolve(this.#meta(entry));
  }

  /**
   * Metadata for a freshness decision: as {@link getMeta}, with the components decoded only
   * when called for. They are two thirds of the metadata, and a fresh result never needs them.
   */
  getDecisionMeta(key: string): Promise<ResultMeta | LazyResultMeta | undefined> {
    const journal = this.#journal;
    if (!journal) return this.#ready().then(() => this.getDecisionMeta(key));
    const entry = journal.view.entries.get(key);
    if (!entry) return NOTHING;
    this.#used(entry);
    return Promise.resolve(entry.decodeMetaLazily() as ResultMeta | LazyResultMeta | undefined);
  }

  /** Whether an entry exists (expired or not). */
  async has(key: string): Promise<boolean> {
    return (await this.#ready()).view.entries.has(key);
  }

  /**
   * Body and metadata, the body verified against its digest. A body that is missing or
   * does not match is reported through `onWarning`, dropped, and `undefined` returned.
   */
  async get(key: string): Promise<StoredResult | undefined> {
    const journal = await this.#ready();
    return this.#track(this.#guard(`read the result of "${key}"`, () => this.#get(journal, key, true)));
  }

  async #get(journal: Journal, key: string, retry: boolean): Promise<StoredResult | undefined> {
    const entry = journal.view.entries.get(key);
    if (!entry) return undefined;
    this.#used(entry);
    const meta = this.#meta(entry);
    const inline = entry.body;
    let body: Buffer | "missing" | "corrupt";
    const kept = this.#justWritten;
    if (inline) body = sha256Sri(inline) === entry.digest ? Buffer.from(inline) : "corrupt";
    else if (kept?.digest === entry.digest && kept.body.byteLength === entry.size) {
      // Handed over once: the reader may change it.
      this.#justWritten = undefined;
      body = kept.body;
    } else body = await readContent(this.#contentRoot, entry.digest, entry.size);
    if (body === "missing" && retry) {
      // Another process may have replaced the entry and collected the old body.
      await journal.scan();
      if (journal.view.entries.get(key)?.seq !== entry.seq) return this.#get(journal, key, false);
    }
    if (typeof body === "string" || !meta) {
      await this.#discard(journal, entry, body === "missing" ? "missing" : "corrupt");
      return undefined;
    }
    return { body, meta };
  }

  /** Reports a bad entry and removes it (that version only), so that it reads as missing from now on. */
  async #discard(journal: Journal, entry: Entry, problem: "missing" | "corrupt"): Promise<void> {
    this.#bodyProblem(entry, problem);
    const del: DeleteRecord = { kind: Kind.Delete, seq: journal.nextSeq(), key: entry.key, upTo: entry.seq };
    await this.#commit(journal, [encodeDelete(del.seq, keyBytes(entry.key), del.upTo)], [del]).catch(() => {});
    if (!entry.inline && problem === "corrupt") await this.#dropContent(journal, entry.digest, true);
  }

  /**
   * The body as a stream, for results too big to hold in memory twice. The stream fails
   * (EINTEGRITY) instead of ending when the bytes do not match the digest.
   * @returns undefined when nothing is stored under `key`
   */
  async stream(key: string): Promise<{ meta: ResultMeta; stream: Readable } | undefined> {
    const journal = await this.#ready();
    const entry = journal.view.entries.get(key);
    const meta = entry && this.#meta(entry);
    if (!entry || !meta) return undefined;
    this.#used(entry);
    if (entry.inline) {
      const stored = await this.get(key);
      return stored && { meta: stored.meta, stream: Readable.from([stored.body]) };
    }
    return { meta, stream: streamContent(this.#contentRoot, entry.digest, entry.size) };
  }

  /** Metadata of every entry, after reading what other processes have added. */
  async list(): Promise<ResultMeta[]> {
    const journal = await this.#ready();
    await this.#guard("read the journal", () => journal.scan());
    const out: ResultMeta[] = [];
    for (const entry of journal.view.entries.values()) {
      const meta = this.#meta(entry);
      if (meta) out.push(meta);
    }
    return out;
  }

  // ---- writing ---------------------------------------------------------------------------

  #checkKey(where: string, key: string): void {
    if (typeof key !== "string" || key === "") throw new InvalidOptionError(where, "key", "a non-empty string", key);
    if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) throw new InvalidOptionError(where, "key", `at most ${MAX_KEY_BYTES} bytes of UTF-8`, key);
  }

  /**
   * Stores a result, replacing any earlier one for `key`; durable when it resolves (see the
   * `fsync` option). `meta.digest` must be the body's sha256, as core computes it: it is
   * checked whenever the body is read, and a body that does not match reads as missing.
   * A big body is written from a copy of the store's own, which the first reader then gets,
   * unless `options.owned` says nothing writes to it: then it is written as it is.
   * @throws InvalidOptionError when `meta.digest` is not a sha256 SRI string
   * @throws StoreError when the disk fails
   */
  put(key: string, body: Uint8Array, meta: ResultMeta, options?: PutOptions): Promise<void> {
    try {
      this.#checkPut(key, body, meta);
    } catch (error) {
      return Promise.reject(error);
    }
    const journal = this.#journal;
    if (journal && body.byteLength <= this.#inlineMax && this.#maxSize === undefined) return this.#putInline(journal, key, body, meta);
    const owned = options?.owned === true;
    return this.#ready().then((opened) => this.#track(this.#guard(`store the result of "${key}"`, () => this.#put(opened, key, body, meta, owned))));
  }

  #checkPut(key: string, body: Uint8Array, meta: ResultMeta | undefined, where = "put"): void {
    // The message's place is made only for a bad put: this runs once per stored result.
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so most keys need no byte count.
    const keyOk = typeof key === "string" && key !== "" && (key.length * 3 <= MAX_KEY_BYTES || Buffer.byteLength(key, "utf8") <= MAX_KEY_BYTES);
    if (keyOk && body instanceof Uint8Array && (where !== "put" || isSha256Sri(meta?.digest))) return;
    const place = `CacacheStore.${where}("${key}")`;
    this.#checkKey(place, key);
    if (!(body instanceof Uint8Array)) throw new InvalidOptionError(place, "body", "a Uint8Array", body);
    throw new InvalidOptionError(place, "meta.digest", "a sha256 SRI string (sha256-<base64>)", meta?.digest);
  }

  /**
   * Stores a result whose digest is not known yet, computing it (a sha256 SRI string, as
   * core computes it) from the bytes it stores; `metaFor` is told it and returns the
   * metadata to keep. A body of 8 MiB or more that is not kept in the journal is hashed
   * once, from the store's own copy as it is written (see `put`), instead of by core and
   * again here, and `metaFor` is told before the last sync; a smaller one is hashed at once.
   * With `options.owned` (nothing writes to the body), a big body is hashed and written as it
   * is, without that copy. Durable when it resolves.
   * @returns the digest
   * @throws InvalidOptionError when the metadata's digest is not the one `metaFor` was told
   * @throws StoreError when the body's bytes change while they are being stored (nothing is
   *   stored, and an earlier entry stays), or when the disk fails
   */
  putHashing(key: string, body: Uint8Array, metaFor: (digest: string) => ResultMeta, options?: PutOptions): Promise<string> {
    let meta: ResultMeta;
    try {
      this.#checkPut(key, body, undefined, "putHashing");
      if (body.byteLength >= COPIED_FROM && body.byteLength > this.#inlineMax) {
        const owned = options?.owned === true;
        return this.#ready().then((opened) => this.#track(this.#guard(`store the result of "${key}"`, () => this.#putPieces(opened, key, body, metaFor, owned))));
      }
      const digest = sha256Sri(body);
      meta = metaFor(digest);
      this.#checkDigest(key, meta, digest);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.put(key, body, meta, options).then(() => meta.digest);
  }

  #checkDigest(key: string, meta: ResultMeta, digest: string, where = "putHashing"): void {
    if (meta?.digest !== digest) throw new InvalidOptionError(`CacacheStore.${where}("${key}")`, "meta.digest", `the digest given to metaFor (${digest})`, meta?.digest);
  }

  /**
   * The common put (a small body, an open store, no size limit), with as few promises as
   * possible: a run makes thousands, and each costs more while async hooks are on. Does what
   * {@link #put} does for such a body.
   */
  #putInline(journal: Journal, key: string, body: Uint8Array, meta: ResultMeta): Promise<void> {
    const previous = journal.view.entries.get(key);
    let committed: Promise<void>;
    let put: PutRecord | undefined;
    try {
      const encoded = encodePut(journal.nextSeq(), key, body.byteLength, meta.digest, JSON.stringify(meta.key === key ? meta : { ...meta, key }), body);
      put = encoded.put;
      committed = journal.commit([encoded.record], [put]);
    } catch (error) {
      committed = Promise.reject(error);
    }
    const failed = (error: unknown): Promise<never> => {
      this.#inFlight.delete(saved);
      return this.#fault(`store the result of "${key}"`, error);
    };
    const saved: Promise<void> = committed.then(() => {
      this.#peers?.tell([put!]);
      // Only a body in the content store that no entry uses any more needs tidying up.
      if (previous && !previous.inline && previous.digest !== meta.digest) {
        return this.#dropContent(journal, previous.digest, false).then(() => void this.#inFlight.delete(saved), failed);
      }
      this.#inFlight.delete(saved);
    }, failed);
    this.#inFlight.add(saved);
    return saved;
  }

  async #put(journal: Journal, key: string, body: Uint8Array, meta: ResultMeta, owned: boolean): Promise<void> {
    const inline = body.byteLength <= this.#inlineMax;
    const { digest } = meta;
    // Not hashed again here: core has just computed the digest from these bytes, and every
    // read verifies it, so a wrong one can only make the entry read as missing.
    if (inline) {
      await this.#append(journal, key, body.byteLength, { ...meta, key }, body);
      return;
    }
    this.#startWriting(digest);
    try {
      const { copy } = await writeContent(this.#contentRoot, body, this.#fsync, digest, owned);
      await this.#append(journal, key, body.byteLength, { ...meta, key }, undefined);
      this.#keep(body, copy, digest);
    } finally {
      this.#endWriting(digest);
    }
  }

  /** {@link putHashing} of a big body, hashed as it is written (from the store's own copy unless it is owned). */
  async #putPieces(journal: Journal, key: string, body: Uint8Array, metaFor: (digest: string) => ResultMeta, owned: boolean): Promise<string> {
    let meta: ResultMeta | undefined;
    let writing: string | undefined;
    try {
      const { digest, copy } = await writeContent(
        this.#contentRoot,
        body,
        this.#fsync,
        (found) => {
          // Known once the body is hashed, before it is renamed into place: from then on it
          // must not be collected.
          this.#startWriting((writing = found));
          meta = metaFor(found);
          this.#checkDigest(key, meta, found);
        },
        owned,
      );
      await this.#append(journal, key, body.byteLength, { ...meta!, key }, undefined);
      this.#keep(body, copy, digest);
      return digest;
    } finally {
      if (writing !== undefined) this.#endWriting(writing);
    }
  }

  /**
   * Opens a body to be stored while it is being made (see `ResultStore.openBody`): each
   * piece appended is hashed and its write submitted at once, to a temporary file opened
   * here, synchronously; `finish` makes it durable, renames it into the content store and
   * records it in the journal, as `putHashing` does for a whole body. Taken only for a body
   * of 8 MiB or more that is not kept in the journal, by an open store.
   * @returns a sink, or `undefined` when the store is not open yet, the body would be small,
   *   or the temporary file cannot be made (the whole body's put then reports why)
   * @throws InvalidOptionError for a bad key
   */
  openBody(key: string, maxBytes: number): BodySink | undefined {
    this.#checkPut(key, EMPTY, undefined, "openBody");
    const journal = this.#journal;
    if (!journal || maxBytes < COPIED_FROM || maxBytes <= this.#inlineMax) return undefined;
    let content: ContentSink;
    try {
      content = new ContentSink(this.#contentRoot, this.#fsync);
    } catch {
      return undefined;
    }
    return {
      append: (bytes) => content.append(bytes),
      finish: (metaFor) => this.#track(this.#guard(`store the result of "${key}"`, () => this.#finishBody(journal, key, content, metaFor))),
      abort: () => this.#track(content.abort()),
    };
  }

  async #finishBody(journal: Journal, key: string, content: ContentSink, metaFor: (digest: string) => ResultMeta): Promise<string> {
    let meta: ResultMeta | undefined;
    let writing: string | undefined;
    try {
      const digest = await content.finish((found) => {
        // From here the body must not be collected (see #putPieces).
        this.#startWriting((writing = found));
        meta = metaFor(found);
        this.#checkDigest(key, meta, found, "openBody");
      });
      await this.#append(journal, key, content.size, { ...meta!, key }, undefined);
      // A body written without a copy of the store's own is never handed to a reader.
      this.#justWritten = undefined;
      return digest;
    } finally {
      if (writing !== undefined) this.#endWriting(writing);
    }
  }

  /**
   * Keeps the store's own copy of a big body just written for the first reader; a body
   * written without a copy (owned by the caller) is never handed to a reader, and lets go of
   * the copy kept before.
   */
  #keep(body: Uint8Array, copy: Buffer | undefined, digest: string): void {
    if (copy) this.#justWritten = { digest, body: copy };
    else if (body.byteLength >= COPIED_FROM) this.#justWritten = undefined;
  }

  /** Marks a body as being written, so that no collection removes it meanwhile. */
  #startWriting(digest: string): void {
    this.#writing.set(digest, (this.#writing.get(digest) ?? 0) + 1);
  }

  #endWriting(digest: string): void {
    const n = this.#writing.get(digest)! - 1;
    if (n > 0) this.#writing.set(digest, n);
    else this.#writing.delete(digest);
  }

  /** Writes the journal record of a put, then tidies up after the entry it replaced. */
  async #append(journal: Journal, key: string, size: number, meta: ResultMeta, inlineBody: Uint8Array | undefined): Promise<void> {
    const previous = journal.view.entries.get(key);
    await this.#commitPut(journal, key, size, meta.digest, JSON.stringify(meta), inlineBody);
    if (previous && !previous.inline && previous.digest !== meta.digest) await this.#dropContent(journal, previous.digest, false);
    if (this.#maxSize !== undefined) await this.#evict(journal, key);
  }

  /** Writes one put record, durably; the view keeps the encoded record, not a copy. */
  #commitPut(journal: Journal, key: string, size: number, digest: string, meta: string, body: Uint8Array | undefined): Promise<void> {
    const { record, put } = encodePut(journal.nextSeq(), key, size, digest, meta, body);
    return this.#commit(journal, [record], [put]);
  }

  /** Writes records durably, then tells the other stores open on the folder in this process. */
  async #commit(journal: Journal, encoded: readonly Buffer[], records: readonly JournalRecord[]): Promise<void> {
    await journal.commit(encoded, records);
    this.#peers?.tell(records);
  }

  /**
   * Removes a body from the content store once no entry (and no write in progress) uses
   * it. While another store has the folder open, the body is left alone, for prune() to
   * collect later: that store may have decided a result is fresh by this very body, or be
   * about to record it. A corrupt body goes regardless.
   */
  async #dropContent(journal: Journal, digest: string, corrupt: boolean): Promise<void> {
    if (this.#writing.has(digest)) return;
    if (!corrupt) {
      await journal.scan().catch(() => {});
      if (journal.view.usesContent(digest) || (await this.#shared(journal).catch(() => true))) return;
    }
    await removeContent(this.#contentRoot, digest).catch(() => {
      // Left for prune() to collect.
    });
  }

  /** Removes an entry; resolves true when there was one. */
  async delete(key: string): Promise<boolean> {
    const journal = await this.#ready();
    const entry = journal.view.entries.get(key);
    if (!entry) return false;
    await this.#track(this.#guard(`delete the result of "${key}"`, () => this.#remove(journal, [entry])));
    return true;
  }

  /** Deletes the given versions (a newer version written meanwhile survives), durably, in one write. */
  async #remove(journal: Journal, entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const records: DeleteRecord[] = entries.map((e) => ({ kind: Kind.Delete, seq: journal.nextSeq(), key: e.key, upTo: e.seq }));
    await this.#commit(
      journal,
      records.map((r) => encodeDelete(r.seq, keyBytes(r.key), r.upTo)),
      records,
    );
    for (const e of entries) if (!e.inline) await this.#dropContent(journal, e.digest, false);
  }

  /** Removes every entry and the bodies they kept in the content store. */
  async clear(): Promise<void> {
    const journal = await this.#ready();
    await this.#track(
      this.#guard("clear the store", async () => {
        await journal.scan();
        const digests = [...journal.view.entries.values()].filter((e) => !e.inline).map((e) => e.digest);
        const seq = journal.nextSeq();
        await this.#commit(journal, [encodeClear(seq)], [{ kind: Kind.Clear, seq }]);
        for (const digest of new Set(digests)) await this.#dropContent(journal, digest, false);
        await journal.compact(true).catch(() => {});
      }),
    );
  }

  /** Sets an entry's `expiresAt` without writing its body again. No-op when there is no entry. */
  async setExpiry(key: string, expiresAt: number): Promise<void> {
    const journal = await this.#ready();
    const entry = journal.view.entries.get(key);
    const meta = entry && this.#meta(entry);
    if (!entry || !meta) return;
    await this.#track(
      this.#guard(`set the expiry of "${key}"`, () =>
        this.#commitPut(journal, key, entry.size, entry.digest, JSON.stringify({ ...meta, expiresAt }), entry.body),
      ),
    );
  }

  // ---- size limit ------------------------------------------------------------------------

  /** Evicts least-recently-used entries (never `keep`) until the results fit in `maxSize`. */
  async #evict(journal: Journal, keep: string | undefined): Promise<void> {
    await this.#remove(journal, leastRecentlyUsed(journal.view, this.#maxSize!, keep));
  }

  /** Persists the usage times of this session, for eviction in later ones; losing them in a crash is harmless. */
  #writeUsage(journal: Journal): void {
    if (this.#maxSize === undefined || this.#usedSinceOpen.size === 0) return;
    const records: UseRecord[] = [];
    for (const key of this.#usedSinceOpen) {
      const e = journal.view.entries.get(key);
      if (e) records.push({ kind: Kind.Use, seq: journal.nextSeq(), key, version: e.seq, usedAt: e.usedAt });
    }
    this.#usedSinceOpen.clear();
    if (records.length > 0) {
      journal.appendLazily(
        records.map((r) => encodeUse(r.seq, keyBytes(r.key), r.version, r.usedAt)),
        records,
      );
    }
  }

  // ---- cache tools -----------------------------------------------------------------------

  /** Every entry with what the cache tools show of it, sorted by task name. */
  async entries(): Promise<CacheEntry[]> {
    const journal = await this.#ready();
    await this.#guard("read the journal", () => journal.scan());
    const out: CacheEntry[] = [];
    for (const e of journal.view.entries.values()) {
      const meta = this.#meta(e);
      if (meta) out.push(toCacheEntry(e, meta, this.#contentRoot));
    }
    return out.sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  }

  /**
   * One entry in full, its body verified (without discarding it when it fails, so that it
   * can be examined). Resolves undefined when nothing is stored under `key`.
   */
  async inspect(key: string): Promise<CacheEntryDetails | undefined> {
    const journal = await this.#ready();
    const e = journal.view.entries.get(key);
    const meta = e && this.#meta(e);
    if (!e || !meta) return undefined;
    const inline = e.body;
    let body: CacheEntryDetails["body"];
    if (inline) body = sha256Sri(inline) === e.digest ? "ok" : "corrupt";
    else {
      const read = await this.#guard(`read the result of "${key}"`, () => readContent(this.#contentRoot, e.digest, e.size));
      body = typeof read === "string" ? read : "ok";
    }
    return { ...toCacheEntry(e, meta, this.#contentRoot), meta, body };
  }

  /**
   * Removes what is no longer worth keeping: expired entries (by their own expiry or an
   * ended session), entries whose body fails verification or has gone, temporary files left
   * by crashed writers, and dead journal records. Bodies that no entry refers to any more
   * are removed too, but only while no other
   * store has the folder open: a run in another process may be reading such a body, or be
   * about to record one it has just written. The report says when they were kept.
   *
   * Safe while other processes run the pipeline: it never removes an unexpired result.
   */
  async prune(now: number): Promise<PruneReport> {
    const journal = await this.#ready();
    await Promise.allSettled(this.#inFlight);
    return this.#track(this.#guard("prune the store", () => this.#prune(journal, now)));
  }

  async #prune(journal: Journal, now: number): Promise<PruneReport> {
    const before = await this.#usage(journal);
    await journal.scan();
    const doomed: Entry[] = [];
    for (const e of journal.view.entries.values()) {
      const meta = this.#meta(e);
      if (!meta || isExpired(meta, now)) doomed.push(e);
      else if (e.inline && sha256Sri(e.body!) !== e.digest) {
        this.#bodyProblem(e, "corrupt");
        doomed.push(e);
      }
    }
    await this.#remove(journal, doomed);
    const removed = doomed.map((e) => e.key);
    await removeStaleTemp(this.#contentRoot);
    const collected =
      !journal.othersWriting() &&
      (await collectAlone(this.dir, this.#presence, () =>
        collectContent(this.#contentRoot, new Set(journal.view.contentRefs.keys()), (digest) => this.#writing.has(digest)),
      ));
    // Bodies that verify removed as corrupt, or that were gone already.
    const lost: Entry[] = [];
    for (const e of journal.view.entries.values()) {
      if (e.inline) continue;
      const present = await stat(contentPath(this.#contentRoot, e.digest)).then(
        () => true,
        () => false,
      );
      if (!present) {
        this.#bodyProblem(e, "corrupt");
        lost.push(e);
      }
    }
    await this.#remove(journal, lost);
    removed.push(...lost.map((e) => e.key));
    await journal.compact(true);
    const after = await this.#usage(journal);
    const report: PruneReport = { removed, freedBytes: Math.max(0, before - after) };
    if (!collected) report.kept = "bodies no result refers to any more were kept, because another process has this cache open; prune again when it has finished";
    return report;
  }

  /** Folds closed journal files into one (also done automatically now and then when opening). */
  async compact(): Promise<void> {
    const journal = await this.#ready();
    await this.#guard("compact the journal", async () => {
      await journal.scan();
      await journal.compact(true);
    });
  }

  /**
   * Bytes on disk: the records in the journal, bodies and cacache's index. Space that
   * journal files have preallocated for records to come is not counted.
   */
  async diskUsage(): Promise<number> {
    const journal = await this.#ready();
    return this.#guard("measure the store", () => this.#usage(journal));
  }

  async #usage(journal: Journal): Promise<number> {
    await journal.scan();
    return journal.usedBytes() + (await diskUsageOf(this.dir, this.#journalDir));
  }
}
