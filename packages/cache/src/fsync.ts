import { closeSync, fdatasync, fsyncSync, openSync } from "node:fs";
import { open } from "node:fs/promises";

/** `fdatasync` as a promise; runs on libuv's thread pool, so the event loop keeps going. */
export function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

/**
 * Makes a folder's entries (files created or renamed into it) durable. Some platforms
 * cannot open a folder for syncing; there the rename itself is as durable as it gets.
 */
export function fsyncDirSync(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EINVAL" && (error as NodeJS.ErrnoException).code !== "EISDIR") throw error;
  } finally {
    closeSync(fd);
  }
}

interface DirSyncState {
  running?: Promise<void> | undefined;
  queued?: Promise<void> | undefined;
}
const dirSyncs = new Map<string, DirSyncState>();

async function syncDirOnce(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EINVAL" && (error as NodeJS.ErrnoException).code !== "EISDIR") throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Syncs a folder, sharing the work between concurrent callers: a caller arriving while a
 * sync runs waits for the next one (which covers its changes), and all such callers share
 * that next sync.
 */
export function syncDirShared(dir: string): Promise<void> {
  let state = dirSyncs.get(dir);
  if (!state) dirSyncs.set(dir, (state = {}));
  const s = state;
  const start = (): Promise<void> => {
    const run: Promise<void> = syncDirOnce(dir).finally(() => {
      if (s.running === run) s.running = undefined;
      if (!s.running && !s.queued) dirSyncs.delete(dir);
    });
    s.running = run;
    return run;
  };
  if (!s.running) return start();
  s.queued ??= s.running
    .catch(() => {})
    .then(() => {
      s.queued = undefined;
      return start();
    });
  return s.queued;
}
