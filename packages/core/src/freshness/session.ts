import { randomUUID } from "node:crypto";

/**
 * This process's session id. Session-bound results record it; any other process sees
 * them as expired, even when this one was killed before it could clean up.
 */
export const SESSION_ID: string = randomUUID();
