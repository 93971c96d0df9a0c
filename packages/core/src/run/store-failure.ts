import type { ResultStore } from "../contracts/store.js";
import { LpError, StoreError, errorMessage } from "../errors.js";

/** How messages name a store: its `description`, else its class, else as the pipeline's. */
export function storeName(store: ResultStore): string {
  if (typeof store.description === "string" && store.description !== "") return `the store "${store.description}"`;
  const ctor = (store as object).constructor?.name;
  return ctor && ctor !== "Object" ? `the store ${ctor}` : "the pipeline's store";
}

/**
 * A failed put as a StoreError naming what was not stored. A store's own LpError already
 * says where and what to do; any other error (a custom store's bare Error) is followed by
 * the store it came from and what to do.
 *
 * @param what - what was not stored, e.g. `Task "A": the result`
 */
export function storeFailure(what: string, store: ResultStore, error: unknown): StoreError {
  const told = `${what} could not be stored (${errorMessage(error)}).`;
  if (error instanceof LpError) return new StoreError(told, error);
  return new StoreError(
    `${told} ${capitalized(storeName(store))} raised it: fix what it reports (or give the pipeline another store), then run again.`,
    error,
  );
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
