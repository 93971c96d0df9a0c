import type { ResultMeta } from "../contracts/store.js";
import type { Reason } from "./reason.js";
import { sessionId } from "./session.js";

/**
 * Why a stored entry is stale at `now` by its own record — its session ended, or its expiry
 * passed — or `undefined` while it is still valid. The one expiry check: the freshness
 * decision, the cache tools and the on-disk store's pruning all use it.
 */
export function expiryReason(meta: Pick<ResultMeta, "session" | "expiresAt">, now: number, session: string = sessionId()): Reason | undefined {
  if (meta.session !== undefined && meta.session !== session) return { kind: "session-ended" };
  if (meta.expiresAt !== null && meta.expiresAt <= now) return { kind: "expired", at: meta.expiresAt };
  return undefined;
}

/** Whether a stored entry is stale at `now` by its own record (expiry or ended session). */
export function isExpired(meta: Pick<ResultMeta, "session" | "expiresAt">, now: number, session: string = sessionId()): boolean {
  return expiryReason(meta, now, session) !== undefined;
}
