import type { FingerprintComponents, LazyResultMeta, ResultMeta } from "../contracts/store.js";

/** Stored metadata as a freshness decision gets it: from `getMeta`, or from `getDecisionMeta` with its components left to decode. */
export type DecisionMeta = ResultMeta | LazyResultMeta;

/** The stored components, decoded now if the store left them to decode on demand. */
export function storedComponents(meta: DecisionMeta): FingerprintComponents | undefined {
  const { components } = meta;
  return typeof components === "function" ? (meta as LazyResultMeta).components() : components;
}
