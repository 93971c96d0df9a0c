import type { ResultMeta, ResultStore } from "../contracts/store.js";
import { digestBytes } from "../fingerprint/hash.js";

/**
 * From this size a branch's body goes to a store that can hash it while writing it
 * (`putHashing`): hashed once, by the store, not by core and again by the store. The same
 * size as for a task's own result (run/persist.ts).
 */
const HASHED_BY_STORE_FROM = 1024 * 1024;

/**
 * Stores a branch's body under its key, with `meta` completed by the body's digest:
 * computed here for a small body, by the store for a big one when it offers `putHashing`.
 * @returns the metadata stored
 * @throws what the store throws; an Error when its putHashing resolved without telling the digest
 */
export async function putBranch(store: ResultStore, key: string, body: Uint8Array, meta: Omit<ResultMeta, "digest">): Promise<ResultMeta> {
  if (body.byteLength < HASHED_BY_STORE_FROM || typeof store.putHashing !== "function") {
    const complete: ResultMeta = { ...meta, digest: digestBytes(body) };
    await store.put(key, body, complete);
    return complete;
  }
  let told: ResultMeta | undefined;
  await store.putHashing(key, body, (digest) => (told ??= { ...meta, digest }));
  if (!told) throw new Error("the store never computed the body's digest: its putHashing resolved without calling metaFor, which it must call with the digest before it resolves");
  return told;
}
