import type { ExpiryPolicy } from "../contracts/expiry.js";

/** Results stay until a fingerprint change invalidates them. The default. */
export function never(): ExpiryPolicy {
  return { label: "never", expiresAt: () => null };
}

/** Results expire when the pipeline run that wrote them completes (also when some tasks failed). */
export function onComplete(): ExpiryPolicy {
  return { label: "onComplete", onComplete: true, expiresAt: () => null };
}

/** Results last for this process only; any later process sees them as expired. */
export function session(): ExpiryPolicy {
  return { label: "session", session: true, expiresAt: () => null };
}
