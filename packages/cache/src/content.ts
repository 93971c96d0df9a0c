import { createHash, randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { constants } from "node:fs";
import { dirname, join } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { digestBytes } from "@lp/core/internal";
import { freshBuffer } from "./fresh-buffer.js";
import { syncDirShared } from "./fsync.js";
import { processAlive } from "./journal/segments.js";

type Cacache = typeof import("cacache");
let loading: Promise<Cacache> | undefined;

/**
 * cacache, loaded on first use (only to stream a big body): it takes longer to load than
 * the rest of the store.
 */
export function loadCacache(): Promise<Cacache> {
  loading ??= import("cacache").then((m) => ((m as { default?: Cacache }).default ?? m) as Cacache);
  return loading;
}

/** `sha256-` followed by 32 bytes in base64: the digests core computes (SRI form). */
const SHA256_SRI = /^sha256-[A-Za-z0-9+/]{43}=$/;

/** Whether `digest` is a sha256 SRI string, the only kind the content store is addressed by. */
export function isSha256Sri(digest: unknown): digest is string {
  return typeof digest === "string" && SHA256_SRI.test(digest);
}

/** sha256 of bytes in SRI form: core's own digest, so the store verifies exactly what core computed as `meta.digest`. */
export const sha256Sri: (bytes: Uint8Array) => string = digestBytes;

/**
 * Where bodies are written before being renamed into place. Not cacache's own `tmp`, which
 * its verify empties: that would fail a put under way in another process.
 */
export const TEMP_DIR = "lp-tmp";

/** Removes temporary files left by writers that have died (their names start with the pid). */
export async function removeStaleTemp(root: string): Promise<void> {
  const dir = join(root, TEMP_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name.split("-", 1)[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await rm(join(dir, name), { force: true });
  }
}

/**
 * Where cacache keeps the content for a sha256 digest (its `content-v2` layout). Bodies are
 * read from there directly: cacache's own read streams and concatenates bodies over 64 MiB,
 * which is more than twice as slow; they are verified here just the same.
 */
export function contentPath(root: string, digest: string): string {
  const hex = Buffer.from(digest.slice("sha256-".length), "base64").toString("hex");
  return join(root, "content-v2", "sha256", hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

/**
 * The digest of a body to write: the one its caller computed, or a function told the digest
 * the store computes while writing it (the caller needs it to make the body's metadata).
 */
export type BodyDigest = string | ((digest: string) => void);

/**
 * Stores a body in cacache's content-store layout under its digest, durably. Written here
 * rather than with `cacache.put`, which does not sync. No cacache index entry is made: the
 * journal says which bodies are in use (see `collectContent`). The file goes to a temporary
 * name first and is renamed into place, so a crash never leaves a partial body under its
 * digest; renaming over an existing copy is harmless, and replaces a damaged one. Folders
 * are made 0700 and files 0600, whatever the umask.
 *
 * A body under {@link COPIED_FROM} is written as it is. A digest given for it is not
 * checked (core has just computed it from these very bytes, and every read verifies it);
 * one to find is computed before the first write. A bigger body that is `owned` (nothing
 * writes to it) is written as it is, in one write, hashed meanwhile; its digest is told
 * before the write is waited for (see {@link writeWhole}). Any other bigger body is copied
 * piece by piece into a buffer of the store's own, and each piece hashed and written from
 * there: the copy is exactly what is on disk, so it can go to the first reader, who then
 * needs neither a read nor a hash. Its digest is then known once the last piece is hashed,
 * and told before the last sync, so that the caller's work on it overlaps the disk's.
 * @param digest - the body's digest, or a function told it, whose throw fails the write
 * @param owned - nothing writes to `body`: written without a copy (and none returned)
 * @returns the digest, and the store's own copy of a big body that is not owned, which hashes to it
 * @throws Error when the bytes of a big body that is not owned change while they are
 *   copied, or no longer match the digest given (its owner changed them after the digest
 *   was taken): nothing is stored
 */
export async function writeContent(root: string, body: Uint8Array, sync: boolean, digest: BodyDigest, owned = false): Promise<{ digest: string; copy: Buffer | undefined }> {
  const tmpDir = join(root, TEMP_DIR);
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  const tmp = tempPath(tmpDir);
  let copy: Buffer | undefined;
  let found: string;
  let file: string;
  try {
    const whole = body.byteLength >= COPIED_FROM && owned;
    // Written in one go, durable when the write returns: no turn of this thread in between.
    const syncedByWrite = whole && sync && constants.O_DSYNC !== undefined;
    const handle = await open(tmp, syncedByWrite ? WHOLE_SYNCED : "wx", 0o600);
    try {
      if (whole) {
        found = await writeWhole(handle, body, digest);
      } else if (body.byteLength >= COPIED_FROM) {
        const written = await writeCopy(handle, body, sync);
        copy = written.copy;
        found = written.digest;
        if (typeof digest === "string") {
          if (found !== digest) throw new Error(NOT_THE_DIGEST);
        } else {
          // The copy is what was hashed and written: compared with the body, not hashed again.
          if (!copy.equals(body)) throw new Error(CHANGED);
          digest(found);
        }
      } else {
        found = typeof digest === "string" ? digest : sha256Sri(body);
        if (typeof digest === "function") digest(found);
        for (let done = 0; done < body.byteLength; ) done += (await handle.write(body, done, body.byteLength - done)).bytesWritten;
      }
      if (sync && !syncedByWrite) await handle.datasync();
    } finally {
      await handle.close();
    }
    file = await moveIntoPlace(root, tmp, found);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  if (sync) await syncPlaced(root, file);
  return { digest: found, copy };
}

/** A new temporary file's path; its name starts with the pid, for {@link removeStaleTemp}. */
export const tempPath = (tmpDir: string) => join(tmpDir, `${process.pid}-${randomBytes(8).toString("hex")}`);

/** Renames a written body into its place in the content store. @returns its path there */
export async function moveIntoPlace(root: string, tmp: string, digest: string): Promise<string> {
  const file = contentPath(root, digest);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await rename(tmp, file);
  return file;
}

/** Syncs the rename of a body into place, and the folders made on the way. */
export async function syncPlaced(root: string, file: string): Promise<void> {
  const leaf = dirname(file);
  await Promise.all([leaf, dirname(leaf), dirname(dirname(leaf)), join(root, "content-v2"), root].map(syncDirShared));
}

const CHANGED = "its bytes changed while they were being stored (a task must not change a Buffer it has returned)";
// Core hashes a body just before the put, so a mismatch is almost always the task's doing; a
// store called directly with a wrong digest gets the other half of the message.
const NOT_THE_DIGEST =
  "its bytes do not match the digest it was given: either its bytes changed while they were being stored " +
  "(a task must not change a Buffer it has returned), or the digest was computed from other bytes";

// A body at least twice this size is written in pieces of it, and what is written is synced
// while the next pieces are copied, hashed and written: the disk's writing overlaps the work
// on this thread instead of following it.
const WRITE_PIECE = 4 * 1024 * 1024;

/** Bodies of this size or more are written from a copy of the store's own unless owned, else in one write (see {@link writeContent}). */
export const COPIED_FROM = 2 * WRITE_PIECE;

/**
 * Copies the body into a new buffer piece by piece (its pages touched ahead of the copy, see
 * {@link freshBuffer}), hashing each piece while the one before is written from the copy; with `sync`, one `fdatasync` at a time is under way from the
 * second piece on. The caller syncs once more after it: durable then, as one write and one
 * sync would be. A sync that fails fails the write, even when a later one succeeds (the
 * kernel may report a lost write only once).
 * @returns the copy and its digest
 */
async function writeCopy(handle: FileHandle, body: Uint8Array, sync: boolean): Promise<{ copy: Buffer; digest: string }> {
  const size = body.byteLength;
  const fresh = await freshBuffer(size, WRITE_PIECE);
  const copy = fresh.buffer;
  const hash = createHash("sha256");
  let writing: Promise<void> | undefined;
  let syncing: Promise<void> | undefined;
  let failed: { error: unknown } | undefined;
  const fail = (error: unknown) => void (failed ??= { error });
  const startSync = () => {
    syncing = handle.datasync().then(
      () => void (syncing = undefined),
      (error: unknown) => {
        fail(error);
        syncing = undefined;
      },
    );
  };
  try {
    for (let i = 0, from = 0; from < size && !failed; i++, from += WRITE_PIECE) {
      const to = Math.min(from + WRITE_PIECE, size);
      await fresh.ready(i);
      copy.set(body.subarray(from, to), from);
      hash.update(copy.subarray(from, to));
      await writing;
      writing = writeAll(handle, copy, from, to).catch(fail);
      if (sync && !syncing && from > 0) startSync();
    }
  } finally {
    await fresh.stop();
    await writing;
    await syncing;
  }
  if (failed) throw failed.error;
  return { copy, digest: `sha256-${hash.digest("base64")}` };
}

// Where there is no O_DSYNC, the write is synced once it has returned.
export const WHOLE_SYNCED = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_DSYNC ?? 0);

/**
 * Writes a body nothing else writes to in one write (durable when it returns, with the file
 * opened `O_DSYNC`), hashing it on this thread meanwhile when its digest is to be found, and
 * telling the digest before waiting for the write: the caller's work on it then overlaps the
 * whole write, not only its end. A digest given is not checked (as for a small body).
 */
async function writeWhole(handle: FileHandle, body: Uint8Array, digest: BodyDigest): Promise<string> {
  let failed: { error: unknown } | undefined;
  const writing = writeAll(handle, body, 0, body.byteLength).catch((error: unknown) => void (failed = { error }));
  let found: string;
  try {
    found = typeof digest === "string" ? digest : hashAndTell(body, digest);
  } catch (error) {
    await writing;
    throw error;
  }
  await writing;
  // A failed write fails the put, whatever the digest.
  if (failed) throw failed.error;
  return found;
}

/** The body's digest, hashed in pieces, told to `tell` (whose throw fails the write). */
function hashAndTell(body: Uint8Array, tell: (digest: string) => void): string {
  const hash = createHash("sha256");
  for (let from = 0; from < body.byteLength; from += WRITE_PIECE) hash.update(body.subarray(from, Math.min(from + WRITE_PIECE, body.byteLength)));
  const found = `sha256-${hash.digest("base64")}`;
  tell(found);
  return found;
}

/** Writes bytes `from`..`to` of `data` at the same offsets in the file. */
async function writeAll(handle: FileHandle, data: Uint8Array, from: number, to: number): Promise<void> {
  for (let done = from; done < to; ) done += (await handle.write(data, done, to - done, done)).bytesWritten;
}

/** Why a body could not be read back. */
export type ReadFailure = "missing" | "corrupt";

// A body at least twice this size is read in pieces of it, each hashed while the next is read:
// the copy from the disk (on libuv's threads) and the digest (on this one) overlap.
const READ_PIECE = 4 * 1024 * 1024;

/** Reads a body and checks it against its digest; a body that fails is never returned. */
export async function readContent(root: string, digest: string, size: number): Promise<Buffer | ReadFailure> {
  const file = contentPath(root, digest);
  if (size < 2 * READ_PIECE) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
      throw error;
    }
    return data.byteLength === size && sha256Sri(data) === digest ? data : "corrupt";
  }
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  try {
    return await readVerified(handle, digest, size);
  } finally {
    await handle.close();
  }
}

/** The whole file, `size` bytes, if its sha256 is `digest` (as {@link sha256Sri} writes it); else "corrupt". */
async function readVerified(handle: FileHandle, digest: string, size: number): Promise<Buffer | ReadFailure> {
  if ((await handle.stat()).size !== size) return "corrupt";
  const data = Buffer.allocUnsafeSlow(size);
  const hash = createHash("sha256");
  let done = 0;
  let next: ReturnType<FileHandle["read"]> | undefined = handle.read(data, 0, READ_PIECE, 0);
  while (next) {
    const { bytesRead } = await next;
    if (bytesRead === 0) return "corrupt"; // shorter than it was a moment ago
    const from = done;
    done += bytesRead;
    next = done < size ? handle.read(data, done, Math.min(READ_PIECE, size - done), done) : undefined;
    hash.update(data.subarray(from, done));
  }
  return `sha256-${hash.digest("base64")}` === digest ? data : "corrupt";
}

/**
 * Streams a body, verifying it as it goes: the stream errors (EINTEGRITY, EBADSIZE) rather
 * than end normally when the bytes do not match, so a consumer never mistakes bad data
 * for a whole result.
 */
export function streamContent(root: string, digest: string, size: number): Readable {
  const out = new PassThrough();
  loadCacache().then(
    (cacache) => pipeline(cacache.get.stream.byDigest(root, digest, { size }) as unknown as Readable, out).catch(() => {}),
    (error: unknown) => out.destroy(error as Error),
  );
  return out;
}

/** Removes a body from the content store (no error when it is already gone). */
export async function removeContent(root: string, digest: string): Promise<void> {
  await rm(contentPath(root, digest), { force: true });
}
