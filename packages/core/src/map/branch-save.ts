import type { PutOptions, ResultMeta, ResultStore } from "../contracts/store.js";
import { digestBytes } from "../fingerprint/hash.js";

/**
 * From this size a branch's body goes to a store that can hash it while writing it
 * (`putHashing`): hashed once, by the store, not by core and again by the store. The same
 * size as for a task's own result (run/persist.ts).
 */
const HASHED_BY_STORE_FROM = 1024 * 1024;

/** A body the serializer has just made, which nothing writes to: the store need not copy it. */
const OWNED: PutOptions = Object.freeze({ owned: true });

/**
 * Stores a branch's body under its key, with `meta` completed by the body's digest:
 * computed here for a small body, by the store for a big one when it offers `putHashing`.
 * @param owned - whether the body is the serializer's fresh output (see `PutOptions.owned`)
 * @returns the metadata stored
 * @throws what the store throws; an Error when its putHashing resolved without telling the digest
 */
export async function putBranch(
  store: ResultStore,
  key: string,
  body: Uint8Array,
  meta: Omit<ResultMeta, "digest">,
  owned: boolean,
): Promise<ResultMeta> {
  if (body.byteLength < HASHED_BY_STORE_FROM || typeof store.putHashing !== "function") {
    const complete: ResultMeta = { ...meta, digest: digestBytes(body) };
    await (owned ? store.put(key, body, complete, OWNED) : store.put(key, body, complete));
    return complete;
  }
  let told: ResultMeta | undefined;
  const metaFor = (digest: string): ResultMeta => (told ??= { ...meta, digest });
  await (owned ? store.putHashing(key, body, metaFor, OWNED) : store.putHashing(key, body, metaFor));
  if (!told)
    throw new Error(
      "the store never computed the body's digest: its putHashing resolved without calling metaFor, which it must call with the digest before it resolves",
    );
  return told;
}
