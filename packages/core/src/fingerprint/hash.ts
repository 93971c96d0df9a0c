import { createHash } from "node:crypto";

/** SRI-style sha256 digest (`sha256-<base64>`), the same form cacache uses for integrity. */
export function digestBytes(bytes: Uint8Array): string {
  return `sha256-${createHash("sha256").update(bytes).digest("base64")}`;
}

/** Short hex sha256 of a string, for fingerprints. */
export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
