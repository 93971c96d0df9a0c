import type { ResultMeta } from "@lp/core";
import { contentPath } from "./content.js";
import type { Entry } from "./journal/view.js";

/** One stored result as the cache tools show it. */
export interface CacheEntry {
  /** The task's name (the key). */
  task: string;
  /** Size of the serialized result, in bytes. */
  size: number;
  /** When it was stored (ms since the epoch). */
  createdAt: number;
  /** When it stops being fresh (ms since the epoch), or null for no time limit. */
  expiresAt: number | null;
  /** The expiry policy's label (`never`, `onComplete`, …). */
  expiry: string;
  fingerprint: string;
  /** Content digest of the body (`sha256-…`). */
  digest: string;
  /** `journal` for small bodies kept with their metadata, `content` for cacache's content store. */
  storedIn?: "journal" | "content" | undefined;
  /** The body's file, for bodies in the content store. */
  file?: string | undefined;
  /** Last time the result was read or checked for freshness by this store (ms since the epoch). */
  usedAt: number;
}

/** {@link CacheEntry} plus everything stored with it, and whether the body verifies. */
export interface CacheEntryDetails extends CacheEntry {
  meta: ResultMeta;
  /** `ok`: the body matches its digest. Otherwise it is missing or corrupt and will be treated as missing. */
  body: "ok" | "missing" | "corrupt";
}

/** What the cache tools show of a journal entry. */
export function toCacheEntry(e: Entry, meta: ResultMeta, contentRoot: string): CacheEntry {
  return {
    task: e.key,
    size: e.size,
    createdAt: meta.createdAt,
    expiresAt: meta.expiresAt,
    expiry: meta.expiry,
    fingerprint: meta.fingerprint,
    digest: e.digest,
    storedIn: e.inline ? "journal" : "content",
    file: e.inline ? undefined : contentPath(contentRoot, e.digest),
    usedAt: e.usedAt,
  };
}
