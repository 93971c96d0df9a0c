import type { PutOptions } from "../contracts/store.js";

/**
 * From this size, a body goes to a store that can hash it while writing it (`putHashing`)
 * without a digest: hashed once, not by core and again by the store. Below, a sha256 costs
 * less than the turns the store takes before it knows the digest.
 */
export const HASHED_BY_STORE_FROM = 1024 * 1024;

/** A body the serializer has just made, which nothing writes to: the store need not copy it. */
export const OWNED: PutOptions = Object.freeze({ owned: true });

/** Why a save fails when the store's `putHashing` resolved without telling the digest. */
export const DIGEST_NEVER_TOLD =
  "the store never computed the body's digest: its putHashing resolved without calling metaFor, which it must call with the digest before it resolves";
