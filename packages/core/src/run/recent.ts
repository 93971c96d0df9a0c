import type { ResultBytes } from "../contracts/executor.js";
import type { ResultMeta, ResultStore } from "../contracts/store.js";
import { digestBytes } from "../fingerprint/hash.js";
import { bytesSerializer } from "../serializers/bytes.js";
import { jsonSerializer } from "../serializers/json.js";
import { msgpackSerializer } from "../serializers/msgpack.js";
import { takeReadAhead } from "./read-ahead.js";

// Formats whose values never share memory with the bytes they are read from.
const DECODED_APART = new Set([msgpackSerializer.name, jsonSerializer.name]);

/**
 * Bytes a reader may have for its own. Raw bytes read back as a view of what they are given,
 * and so do Buffers and typed arrays in the v8 format (and maybe in a custom one): a reader of
 * bytes held in memory gets a copy of those, so that what it does to a Buffer no other
 * reader, nor a save under way, sees.
 */
export function readerCopy(body: Uint8Array, serializer: string): ResultBytes {
  return { body: DECODED_APART.has(serializer) ? body : new Uint8Array(body), serializer };
}

/** Smaller bodies are cheap to read again; remembering them would cost every task. */
const REMEMBER_FROM = 1024 * 1024;

interface Remembered {
  digest: string;
  serializer: string;
  body: WeakRef<Uint8Array>;
}

// Per pipeline: bodies its runs stored and let go, held weakly, so that memory still follows
// the results in use while `getResult()` right after a run need not read the disk.
const remembered = new WeakMap<object, Map<string, Remembered>>();

/** Notes the body a run has just stored for a task (weakly: garbage collection may take it). */
export function rememberStored(pipeline: object, body: Uint8Array, meta: ResultMeta): void {
  let bodies = remembered.get(pipeline);
  if (body.byteLength < REMEMBER_FROM) {
    bodies?.delete(meta.key);
    return;
  }
  if (!bodies) remembered.set(pipeline, (bodies = new Map()));
  bodies.set(meta.key, { digest: meta.digest, serializer: meta.serializer, body: new WeakRef(body) });
}

/**
 * A body a run of this pipeline stored, while it is still in memory and still the stored
 * version (same digest: another process may have replaced it since); else `undefined`.
 */
export async function recentlyStored(pipeline: object, store: ResultStore, name: string): Promise<ResultBytes | undefined> {
  const entry = remembered.get(pipeline)?.get(name);
  if (!entry?.body.deref()) return undefined;
  // Raw bytes are the Buffer the task returned, which its code may have changed since: using
  // them means a sha256 and a copy, one after the other on this thread. A store that reads
  // locally does better (a verified read overlapping its copy with the sha256, or a copy
  // from memory); one over the network would send the body again, so it is checked here.
  const raw = entry.serializer === bytesSerializer.name;
  if (raw && store.readsLocally) return undefined;
  const meta = await store.getMeta(name);
  const body = entry.body.deref();
  if (!body || meta?.digest !== entry.digest || meta.serializer !== entry.serializer) return undefined;
  if (raw && digestBytes(body) !== entry.digest) return undefined;
  const ahead = takeReadAhead(body);
  if (ahead) return { body, serializer: entry.serializer, value: ahead.value };
  return readerCopy(body, entry.serializer);
}
