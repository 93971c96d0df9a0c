import { randomUUID } from "node:crypto";

let id: string | undefined;

/**
 * This process's session id, a random version 4 UUID. Session-bound results record it; any
 * other process sees them as expired, even when this one was killed before it could clean up.
 * Made on first use from the system's entropy: `Math.random` can be seeded (by the program or
 * `node --random-seed`), which would give two processes one session; and made late so that a
 * start which decides nothing does not load node:crypto.
 */
export function sessionId(): string {
  return (id ??= randomUUID());
}
