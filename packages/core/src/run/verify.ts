import type { ResultStore } from "../contracts/store.js";
import { digestBytes } from "../fingerprint/hash.js";

/**
 * Whether the body stored under `name` can be read and is exactly the version `digest`
 * names. Hashed here as well, so that a store that does not verify on read is checked too.
 */
export async function storedBodyIs(store: ResultStore, name: string, digest: string): Promise<boolean> {
  const stored = await store.get(name).catch(() => undefined);
  return !!stored && stored.meta.digest === digest && digestBytes(stored.body) === digest;
}
