import { closeSync, constants, existsSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";

/** Append, create private to the user whatever the umask, and never through a symbolic link. */
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

const two = (n: number) => String(n).padStart(2, "0");

/** `YYYYMMDD-HHMMSS-mmm` in UTC, sortable and safe in file names. */
export function rotationStamp(at: number): string {
  const d = new Date(at);
  const date = `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
  const time = `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
  return `${date}-${time}-${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
}

/** The name a full log file is moved to: `<stem>~<stamp>.log`, numbered if taken. */
export function rotatedPath(path: string, at: number): string {
  const stem = path.slice(0, -".log".length);
  const base = `${stem}~${rotationStamp(at)}`;
  let candidate = `${base}.log`;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}.log`;
  return candidate;
}

/** A batch's first buffer; it grows by doubling and is kept between batches. */
const FIRST_BYTES = 16 * 1024;
/** A buffer grown past this by one large batch is let go once the batch is written. */
const KEPT_BYTES = 1024 * 1024;

/**
 * One append-only log file whose lines are gathered in memory and written in batches
 * ({@link flush}): one open, write and close per batch, so that no descriptor stays open
 * between batches and a run holds at most one log file open at a time, however many tasks
 * it has. Lines are encoded straight into one reusable buffer, which gives each line's
 * exact size in bytes for free. Rotated when the next line would take it past `rotateBytes`.
 * @throws the file system's error from {@link flush}; the caller turns it into a warning
 */
export class LogFile {
  readonly path: string;
  readonly #rotateBytes: number;
  /** The file's size on disk; `undefined` until the first line looks at the disk. */
  #disk: number | undefined;
  #buffer: Buffer | undefined;
  /** Bytes of the batch: `#buffer` up to here. */
  #used = 0;
  #expiredBefore: number;
  readonly #now: () => number;

  /**
   * @param expiredBefore - a file last written before this time (ms) is deleted before the
   *   first write, since every line in it is past retention
   * @param now - the clock that names rotated files, read only when the file rotates
   */
  constructor(path: string, rotateBytes: number, expiredBefore: number, now: () => number = Date.now) {
    this.path = path;
    this.#rotateBytes = rotateBytes;
    this.#expiredBefore = expiredBefore;
    this.#now = now;
  }

  /**
   * Adds text to the batch, first writing the batch and rotating when the text would not fit.
   * @returns the bytes added
   */
  append(text: string): number {
    const buffer = this.room(text.length * 3);
    return this.commit(buffer.write(text, this.#used));
  }

  /**
   * The buffer to encode at most `maxBytes` of a line into, from {@link end}; the line
   * joins the batch once {@link commit}ted.
   */
  room(maxBytes: number): Buffer {
    let buffer = this.#buffer;
    const needed = this.#used + maxBytes;
    if (buffer === undefined || buffer.length < needed) {
      let size = buffer === undefined ? FIRST_BYTES : buffer.length * 2;
      while (size < needed) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      if (buffer !== undefined) buffer.copy(grown, 0, 0, this.#used);
      this.#buffer = buffer = grown;
    }
    return buffer;
  }

  /** Where the next line goes in the buffer {@link room} gives. */
  get end(): number {
    return this.#used;
  }

  /**
   * Takes the `bytes` written at {@link end} as the batch's next line, first writing the
   * batch and rotating the file when the line would take it past its size.
   * @returns `bytes`
   */
  commit(bytes: number): number {
    const size = this.#diskSize() + this.#used;
    if (size > 0 && size + bytes > this.#rotateBytes) {
      const line = this.#used;
      this.#writeOut(line);
      renameSync(this.path, rotatedPath(this.path, this.#now()));
      this.#disk = 0;
      const buffer = this.#buffer as Buffer;
      buffer.copyWithin(0, line, line + bytes);
    }
    this.#used += bytes;
    return bytes;
  }

  /** Writes the batch, if any, with one append. */
  flush(): void {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0;
    try {
      this.#writeOut(used);
    } finally {
      if ((this.#buffer as Buffer).length > KEPT_BYTES) this.#buffer = undefined;
    }
  }

  /** Forgets the batch without writing it (after a failure to write the folder). */
  discard(): void {
    this.#used = 0;
    this.#buffer = undefined;
  }

  /** Appends the buffer's first `bytes`; the batch is forgotten even if writing fails. */
  #writeOut(bytes: number): void {
    this.#used = 0;
    if (bytes === 0) return;
    const data = this.#buffer as Buffer;
    let fd: number;
    try {
      fd = openSync(this.path, APPEND, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new Error(`${this.path} is a symbolic link, and log files never follow links; remove it`);
      throw error;
    }
    try {
      let written = 0;
      while (written < bytes) written += writeSync(fd, data, written, bytes - written);
    } finally {
      closeSync(fd);
    }
    this.#disk = this.#diskSize() + bytes;
  }

  /** The file's size on disk (without the batch); the first call looks at the disk. */
  #diskSize(): number {
    if (this.#disk !== undefined) return this.#disk;
    try {
      const stat = statSync(this.path);
      if (stat.mtimeMs < this.#expiredBefore) {
        unlinkSync(this.path);
        this.#disk = 0;
      } else this.#disk = stat.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.#disk = 0;
    }
    return this.#disk;
  }
}
