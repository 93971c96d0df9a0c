import type { PipelineLocation } from "../location/results-home.js";

/**
 * What a store keeps beside each result body. Core fills every field; a store
 * keeps them verbatim and knows nothing of policies or fingerprints.
 */
export interface ResultMeta {
  /** The key the result is stored under: the task's name. */
  key: string;
  /** Hash of everything the result was computed from (code, input files, upstream digests). */
  fingerprint: string;
  /** The parts behind `fingerprint`, kept so that a change can be explained. */
  components: FingerprintComponents;
  /** Content digest of the serialized body (`sha256-<base64>`, an SRI string). */
  digest: string;
  /** Size of the serialized body in bytes. */
  size: number;
  /** Name of the serializer that wrote the body (see {@link Serializer}). */
  serializer: string;
  /** When the result was stored, in ms since the epoch. */
  createdAt: number;
  /** When the result stops being fresh, in ms since the epoch; `null` for no time limit. */
  expiresAt: number | null;
  /** Set for session-bound results: the id of the process session that wrote it. */
  session?: string | undefined;
  /** Human label of the expiry policy (`never`, `onComplete`, `atMidnight` …), for display. */
  expiry: string;
  /** True when the task returned `null` or `undefined`. */
  empty?: boolean | undefined;
  /** A short description of the result's type, e.g. `number` or `Array(3)`. */
  type?: string | undefined;
}

/**
 * What a fingerprint is made of, so that `status()` can say which part changed. Read-only:
 * core shares one frozen set of code parts among the tasks built alike.
 */
export interface FingerprintComponents {
  /** Digest of the task's code. */
  readonly code: string;
  /**
   * The parts behind `code`, by what they are (`function \`run\` in pipeline.ts`, `helper
   * \`parseRow\` in lib/rows.ts`, `package \`csv-parse\``), so a change can be named.
   * Absent in results stored by versions that did not record it.
   */
  readonly codeParts?: Readonly<Record<string, string>> | undefined;
  /** Digest per input file, by path. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Content digest of each dependency's result, by task name. */
  readonly upstream: Readonly<Record<string, string>>;
  /** Digest of the task's own salt (`version` option), if any. */
  readonly version?: string | undefined;
}

/**
 * A result's metadata with its fingerprint components left to decode on demand: what a run's
 * freshness decision reads, since deciding a result fresh (nearly every task of a warm run)
 * needs the fingerprint, not the components behind it. They are decoded only to explain a
 * changed fingerprint.
 */
export interface LazyResultMeta extends Omit<ResultMeta, "components"> {
  /**
   * Decodes the stored components: a fresh object on every call, or `undefined` when they
   * cannot be decoded.
   */
  components(): FingerprintComponents | undefined;
}

/** A stored result: its serialized body and its metadata. */
export interface StoredResult {
  body: Uint8Array;
  meta: ResultMeta;
}

/**
 * The result-store contract. Implement the required methods to plug any storage into a
 * pipeline; the optional ones are used when present.
 *
 * Contract rules every store must keep (checked by `@lp/core/conformance`):
 * - a miss is not an error: `get` and `getMeta` resolve `undefined`;
 * - `put` is atomic: after a crash, a reader sees the old entry or the new one, never a mix;
 * - `put` is durable once it resolves;
 * - `get` never returns a body that does not match `meta.digest`; a corrupted entry is
 *   treated as missing (and may be reported through `onCorrupt`).
 */
export interface ResultStore {
  /** Body and metadata, or `undefined` when nothing is stored under `key`. */
  get(key: string): Promise<StoredResult | undefined>;
  /** Metadata only. Freshness decisions call this and must not cause a body to be read. */
  getMeta(key: string): Promise<ResultMeta | undefined>;
  /**
   * Metadata for a freshness decision: what `getMeta` resolves, except that where the stored
   * components are an object, a store may leave them to decode on demand
   * ({@link LazyResultMeta}), sparing the decoding of what a fresh result does not need.
   * The rules of `getMeta` hold: never causes a body to be read, a fresh object each call.
   * Without it, core calls `getMeta`.
   */
  getDecisionMeta?(key: string): Promise<ResultMeta | LazyResultMeta | undefined>;
  /** Stores a body with its metadata, replacing any earlier entry for `key`. */
  put(key: string, body: Uint8Array, meta: ResultMeta, options?: PutOptions): Promise<void>;
  /**
   * Stores a body whose digest is not known yet, computing it from the bytes it stores:
   * `metaFor` is told the digest (`sha256-` and the base64 of the bytes' sha256, as in
   * `ResultMeta.digest`) and returns the metadata to keep, whose `digest` is that one. Core
   * calls it instead of `put` for a big body, so that a store that hashes what it writes
   * anyway spares core a hash of its own. The rules of `put` hold, and one more: bytes that
   * change while they are being stored fail it, and an earlier entry stays. Without it,
   * core hashes the body and calls `put`.
   * @returns the digest, once stored durably
   * @throws when `metaFor` throws (itself or wrapped), with nothing stored
   */
  putHashing?(key: string, body: Uint8Array, metaFor: (digest: string) => ResultMeta, options?: PutOptions): Promise<string>;
  /**
   * Opens a body to be stored while it is still being made: core appends its bytes as it
   * packs them, so that writing them overlaps the packing instead of following it. Core
   * calls it for a big result (a long array packed in slices) when offered, and calls
   * `finish` or `abort` on what it returns, always. Called with nothing awaited between it
   * and the appends, so it must answer at once (no promise).
   * @param maxBytes - the most bytes that will be appended
   * @returns a sink, or `undefined` when the store cannot take this body in pieces now: core
   *   then makes the whole body and stores it with `putHashing` or `put`
   * @throws only what `put` would also throw; core then stores the whole body as without it
   */
  openBody?(key: string, maxBytes: number): BodySink | undefined;
  /** Whether an entry exists (expired or not). */
  has(key: string): Promise<boolean>;
  /** Removes an entry; resolves `true` when one was removed. */
  delete(key: string): Promise<boolean>;
  /** Metadata of every entry. */
  list(): Promise<ResultMeta[]>;
  /** Removes every entry. */
  clear(): Promise<void>;
  /** Sets an entry's `expiresAt` without rewriting its body. Without it, core deletes instead. */
  setExpiry?(key: string, expiresAt: number): Promise<void>;
  /**
   * Removes what is no longer reachable or fresh: expired entries, unreferenced content,
   * entries that fail verification. Stores without it are pruned by core via `list`/`delete`.
   */
  prune?(now: number): Promise<PruneReport>;
  /** Total bytes used on disk (bodies plus indexes), when the store can tell. */
  diskUsage?(): Promise<number>;
  /** Called by core once at the start of a run; a store may load indexes here. */
  open?(): Promise<void>;
  /** Flushes and releases resources. */
  close?(): Promise<void>;
  /**
   * True when reading a body back costs little more than copying it in memory: a store in
   * memory or on this machine's disk. `getResult()` right after a run then reads a big
   * Buffer result back from the store; without it (a store across a network, say) core
   * hashes and copies the task's own Buffer instead, when it is unchanged.
   * @default false
   */
  readonly readsLocally?: boolean;
  /** A short name for messages, e.g. `memory` or `cacache:/home/me/.little_pipelines/x`. */
  readonly description?: string;
}

/**
 * A body being stored as it is made (see {@link ResultStore.openBody}). Its bytes are what
 * `append` was given, in order; nothing of it is visible to readers before `finish` resolves.
 */
export interface BodySink {
  /**
   * Adds the next bytes. Called as soon as they exist, with nothing awaited between calls;
   * the bytes are core's own and never change afterwards, so they may be written as they
   * are, without a copy, until `finish` or `abort` settles. Never throws: a failure to write
   * them fails `finish`.
   */
  append(bytes: Uint8Array): void;
  /**
   * Every byte is appended: stores the body as `putHashing` does, telling `metaFor` the
   * digest of all the bytes appended (`sha256-<base64>`), and keeping the metadata it
   * returns. The rules of `put` hold: atomic, durable once resolved, an earlier entry stays
   * when it fails.
   * @returns the digest, once stored durably
   * @throws when an append failed to be written, when the disk fails, or when `metaFor`
   *   throws: nothing is stored then
   */
  finish(metaFor: (digest: string) => ResultMeta): Promise<string>;
  /** Gives the body up: nothing is stored, the earlier entry stays. Resolves once what was written of it is removed. */
  abort(): Promise<void>;
}

/** How a body is handed to {@link ResultStore.put} and {@link ResultStore.putHashing}. */
export interface PutOptions {
  /**
   * True when nothing writes to `body`, during the put or after it: core made it for this
   * save (a serializer's fresh output) and only ever reads it. A store may then write it as
   * it is, without first copying it to guard against changes. It still must not hand this
   * very memory to a reader (`get` gives bytes the reader may change), nor rely on keeping
   * it: core may let it go once the put resolves.
   * @default false
   */
  owned?: boolean;
}

/**
 * A store may be given as an instance or as a factory that receives the pipeline's
 * name and location (its project and the folder of pipeline folders), so that one
 * setting can serve many pipelines and projects.
 */
export type StoreOption = ResultStore | ((pipelineName: string, location: PipelineLocation) => ResultStore);

/** What a prune removed. */
export interface PruneReport {
  /** Keys of entries removed (expired or corrupt). */
  removed: string[];
  /** Bytes freed, when known. */
  freedBytes: number;
  /** What was left alone and why, when the store kept something it would otherwise remove. */
  kept?: string | undefined;
}
