import { hash } from "node:crypto";

/**
 * SRI-style sha256 digest (`sha256-<base64>`), the same form cacache uses for integrity.
 * One-shot, as {@link hashText}: a run digests every result it stores.
 */
export function digestBytes(bytes: Uint8Array): string {
  return `sha256-${hash("sha256", bytes, "base64")}`;
}

/**
 * Short hex sha256 of a string, for fingerprints. One-shot hashing (Node 20.12+, below every
 * supported version) is several times cheaper than a Hash object per digest, which matters on
 * the per-task hot path; same digests either way.
 */
export function hashText(text: string): string {
  return hash("sha256", text, "hex");
}
