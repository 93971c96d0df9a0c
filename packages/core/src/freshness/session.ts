/**
 * This process's session id, a version 4 UUID. Session-bound results record it; any other
 * process sees them as expired, even when this one was killed before it could clean up.
 */
export const SESSION_ID: string = uuidV4();

/**
 * A version 4 UUID from V8's `Math.random`, which every process (and thread) seeds from the
 * operating system's entropy. The id must differ between processes, not be secret; taking it
 * from node:crypto would load crypto (~2 ms) at every start, also when nothing is hashed.
 */
function uuidV4(): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
