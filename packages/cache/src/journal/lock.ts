import { readFile, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { processAlive } from "./segments.js";

const STALE_MS = 10 * 60_000;

/**
 * Takes an advisory lock file, or resolves undefined when someone else holds it. A lock
 * left by a dead process (or older than ten minutes) is taken over. The lock only saves
 * duplicate work: what it guards must stay correct without it.
 */
export async function tryLock(path: string): Promise<(() => Promise<void>) | undefined> {
  const owner = JSON.stringify({ pid: process.pid, host: hostname() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, owner, { flag: "wx", mode: 0o600 });
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    try {
      const held = JSON.parse(await readFile(path, "utf8")) as { pid?: number; host?: string };
      const old = Date.now() - (await stat(path)).mtimeMs > STALE_MS;
      const dead = held.host === hostname() && typeof held.pid === "number" && !processAlive(held.pid);
      if (!old && !dead) return undefined;
    } catch (error) {
      // Unreadable or half-written: treat as held unless it has vanished meanwhile.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return undefined;
    }
    await unlink(path).catch(() => {});
  }
  return undefined;
}
