import * as crypto from "node:crypto";

const { createHash } = crypto;
// One-shot hashing (Node 20.12+) is several times cheaper than a Hash object per digest,
// which matters on the per-task hot path; same digests either way.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

/** SRI-style sha256 digest (`sha256-<base64>`), the same form cacache uses for integrity. */
export function digestBytes(bytes: Uint8Array): string {
  return `sha256-${createHash("sha256").update(bytes).digest("base64")}`;
}

/** Short hex sha256 of a string, for fingerprints. */
export function hashText(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : createHash("sha256").update(text).digest("hex");
}
