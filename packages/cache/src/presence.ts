import { randomBytes } from "node:crypto";
import { readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { readdir, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { tryLock } from "./journal/lock.js";
import { processAlive } from "./journal/segments.js";

/** The folder, inside a store folder, where every open store announces itself. */
export const PRESENCE_DIR = "open";

/**
 * A store instance's announcement that it has the folder open and may read any body its
 * view of the journal refers to. Content is never deleted while another instance is
 * present: a process that decided a result was fresh must be able to read that very
 * body, even if someone else has replaced the entry since.
 *
 * The file is made before the journal is first read, so a writer that does not see it
 * committed its records before this instance reads them: the replaced body is then never
 * in this instance's view at all.
 */
export class Presence {
  /** This instance's announcement file. */
  readonly file: string;
  readonly #dir: string;

  private constructor(dir: string, file: string) {
    this.#dir = dir;
    this.file = file;
  }

  /**
   * Announces this instance in `storeDir` (whose presence folder must exist), waiting while
   * another process collects unreferenced bodies: one written now could be taken for garbage.
   * Each side writes its own file first and then looks for the other's, so at least one of
   * them always sees the other.
   */
  static async enter(storeDir: string): Promise<Presence> {
    const dir = join(storeDir, PRESENCE_DIR);
    for (;;) {
      const file = join(dir, `${process.pid}-${randomBytes(6).toString("hex")}.json`);
      // Synchronous, as the rest of a store's opening (see folder.ts).
      writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname() }), { flag: "wx", mode: 0o600 });
      if (!lockHeld(join(storeDir, COLLECT_LOCK))) return new Presence(dir, file);
      await unlink(file).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Whether another store instance (in this process or another) has the folder open. A
   * process on another host cannot be checked and counts as present; files left by dead
   * processes on this host are removed.
   */
  async othersPresent(): Promise<boolean> {
    return (await othersIn(this.#dir, this.file)) > 0;
  }

  /** Withdraws the announcement (synchronously, as a store closes once). */
  async leave(): Promise<void> {
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone: nothing to withdraw.
    }
  }
}

/** How many store instances other than `mine` are present in the presence folder `dir`. */
async function othersIn(dir: string, mine: string | undefined): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  const host = hostname();
  let n = 0;
  for (const name of names) {
    const file = join(dir, name);
    if (file === mine || !name.endsWith(".json")) continue;
    let who: { pid?: unknown; host?: unknown };
    try {
      who = JSON.parse(await readFile(file, "utf8")) as typeof who;
    } catch (error) {
      // Gone meanwhile: that instance closed. Unreadable (being written): count it.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") n++;
      continue;
    }
    if (who.host === host && typeof who.pid === "number" && !processAlive(who.pid)) {
      await unlink(file).catch(() => {});
      continue;
    }
    n++;
  }
  return n;
}

/** The lock that whoever collects unreferenced bodies holds, in the store folder. */
const COLLECT_LOCK = "collect.lock";

/** Whether a lock taken with {@link tryLock} is held by someone alive. */
function lockHeld(path: string): boolean {
  try {
    // Usually there is none: found out without the cost of a failed read's error. Only a
    // missing file means no lock: a lock that cannot be looked at or read counts as held.
    if (statSync(path, { throwIfNoEntry: false }) === undefined) return false;
    const held = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; host?: unknown };
    return !(held.host === hostname() && typeof held.pid === "number" && !processAlive(held.pid));
  } catch (error) {
    // Half-written counts as held; gone is not.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/**
 * Runs `collect` only if no other store instance has the folder open, keeping new ones
 * from opening it meanwhile. Resolves whether it ran.
 */
export async function collectAlone(storeDir: string, me: Presence | undefined, collect: () => Promise<void>): Promise<boolean> {
  const release = await tryLock(join(storeDir, COLLECT_LOCK));
  if (!release) return false;
  try {
    if ((await othersIn(join(storeDir, PRESENCE_DIR), me?.file)) > 0) return false;
    await collect();
    return true;
  } finally {
    await release();
  }
}
