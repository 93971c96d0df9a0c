import type { ResultMeta, ResultStore } from "../contracts/store.js";
import { digestBytes } from "../fingerprint/hash.js";
import { DIGEST_NEVER_TOLD, HASHED_BY_STORE_FROM, OWNED } from "../run/store-hashing.js";

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
  if (!told) throw new Error(DIGEST_NEVER_TOLD);
  return told;
}
