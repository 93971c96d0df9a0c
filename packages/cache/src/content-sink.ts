import { createHash } from "node:crypto";
import { close, constants, fdatasync, mkdirSync, openSync, write } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { TEMP_DIR, WHOLE_SYNCED, moveIntoPlace, syncPlaced, tempPath } from "./content.js";

/**
 * A body written to the content store while it is still being made: each piece handed to
 * `append` is hashed on this thread and its write submitted at once, at its offset in a
 * temporary file, so that libuv's threads write while the caller goes on making the next
 * piece. The file is opened `O_DSYNC` (where there is one) so that every write is durable
 * when it returns; `finish` waits for them all, then renames the file into place under the
 * digest and syncs the folders, as {@link writeContent} does for a whole body. A crash at any
 * moment leaves at most a temporary file, which readers never see (and a later open removes).
 */
export class ContentSink {
  readonly #root: string;
  readonly #tmp: string;
  readonly #sync: boolean;
  readonly #syncedByWrite: boolean;
  readonly #hash = createHash("sha256");
  #fd: number | undefined;
  /** Bytes appended so far: the offset of the next piece. */
  #size = 0;
  #writing = 0;
  #failed: { error: unknown } | undefined;
  #idle: (() => void) | undefined;
  #ended = false;

  /**
   * Opens the temporary file, synchronously: the caller appends without awaiting anything.
   * @throws the file system's error when the folder or the file cannot be made
   */
  constructor(root: string, sync: boolean) {
    this.#root = root;
    this.#sync = sync;
    this.#syncedByWrite = sync && constants.O_DSYNC !== undefined;
    const tmpDir = join(root, TEMP_DIR);
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    this.#tmp = tempPath(tmpDir);
    this.#fd = openSync(this.#tmp, this.#syncedByWrite ? WHOLE_SYNCED : "wx", 0o600);
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Hashes the bytes and submits their write; they must not change until the sink settles. A failed write fails `finish`. */
  append(bytes: Uint8Array): void {
    if (this.#ended) throw new Error("the body was already finished or given up");
    this.#hash.update(bytes);
    const at = this.#size;
    this.#size += bytes.byteLength;
    if (!this.#failed && bytes.byteLength > 0) this.#write(bytes, 0, at);
  }

  #write(bytes: Uint8Array, from: number, at: number): void {
    this.#writing++;
    write(this.#fd!, bytes, from, bytes.byteLength - from, at, (error, written) => {
      this.#writing--;
      if (error) this.#failed ??= { error };
      else if (from + written < bytes.byteLength) this.#write(bytes, from + written, at + written);
      if (this.#writing === 0) this.#idle?.();
    });
  }

  /** Resolves once no write is under way. */
  #settled(): Promise<void> {
    if (this.#writing === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idle = () => {
        this.#idle = undefined;
        resolve();
      };
    });
  }

  /**
   * Every piece is appended: tells `tell` the digest (before the writes are waited for, so
   * that the caller's work on it overlaps them), then makes the body durable and puts it in
   * place. On any failure (a write, `tell` throwing, a sync) the temporary file is removed.
   * @returns the digest
   */
  async finish(tell: (digest: string) => void): Promise<string> {
    this.#ended = true;
    try {
      const digest = `sha256-${this.#hash.digest("base64")}`;
      tell(digest);
      await this.#settled();
      if (this.#failed) throw this.#failed.error;
      if (this.#sync && !this.#syncedByWrite) await new Promise<void>((resolve, reject) => fdatasync(this.#fd!, (e) => (e ? reject(e) : resolve())));
      await this.#close();
      const file = await moveIntoPlace(this.#root, this.#tmp, digest);
      if (this.#sync) await syncPlaced(this.#root, file);
      return digest;
    } catch (error) {
      await this.#discard();
      throw error;
    }
  }

  /** Gives the body up: waits for the writes under way, then removes the temporary file. */
  async abort(): Promise<void> {
    this.#ended = true;
    await this.#discard();
  }

  async #discard(): Promise<void> {
    // Not closed under a write in flight: the descriptor's number could be reused meanwhile.
    await this.#settled();
    await this.#close().catch(() => {});
    await rm(this.#tmp, { force: true });
  }

  #close(): Promise<void> {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));
  }
}
