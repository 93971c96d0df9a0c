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

/**
 * One append-only log file whose lines are gathered in memory and written in batches
 * ({@link flush}): one open, write and close per batch, so that no descriptor stays open
 * between batches and a run holds at most one log file open at a time, however many tasks
 * it has. Rotated when the next line would take it past `rotateBytes`.
 * @throws the file system's error from {@link flush}; the caller turns it into a warning
 */
export class LogFile {
  readonly path: string;
  readonly #rotateBytes: number;
  /** The file's size on disk; `undefined` until the first line looks at the disk. */
  #disk: number | undefined;
  #chunks: string[] = [];
  /** Bytes of the batch's first `#counted` chunks. */
  #countedBytes = 0;
  #counted = 0;
  /** Characters of the chunks after those, whose bytes are counted only near the rotation size. */
  #uncountedChars = 0;
  #expiredBefore: number;

  /**
   * @param expiredBefore - a file last written before this time (ms) is deleted before the
   *   first write, since every line in it is past retention
   */
  constructor(path: string, rotateBytes: number, expiredBefore: number) {
    this.path = path;
    this.#rotateBytes = rotateBytes;
    this.#expiredBefore = expiredBefore;
  }

  /** Bytes gathered and not yet written. */
  get pendingBytes(): number {
    this.#count();
    return this.#countedBytes;
  }

  /** Adds text to the batch, first writing the batch and rotating when the text would not fit. */
  append(text: string, now: number): void {
    const disk = this.#diskSize();
    // A UTF-16 code unit is at most 3 bytes of UTF-8: while even that many would fit, no line
    // can rotate the file and its exact size can wait (Buffer.byteLength per line is not free).
    if (disk + this.#countedBytes + (this.#uncountedChars + text.length) * 3 <= this.#rotateBytes) {
      this.#chunks.push(text);
      this.#uncountedChars += text.length;
      return;
    }
    this.#count();
    const bytes = Buffer.byteLength(text);
    const size = disk + this.#countedBytes;
    if (size > 0 && size + bytes > this.#rotateBytes) {
      this.flush();
      renameSync(this.path, rotatedPath(this.path, now));
      this.#disk = 0;
    }
    this.#chunks.push(text);
    this.#countedBytes += bytes;
    this.#counted = this.#chunks.length;
  }

  /** Writes the batch, if any, with one append. */
  flush(): void {
    if (this.#chunks.length === 0) return;
    const data = Buffer.from(this.#chunks.join(""), "utf8");
    this.discard();
    let fd: number;
    try {
      fd = openSync(this.path, APPEND, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new Error(`${this.path} is a symbolic link, and log files never follow links; remove it`);
      throw error;
    }
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
    } finally {
      closeSync(fd);
    }
    this.#disk = this.#diskSize() + data.length;
  }

  /** Forgets the batch without writing it (after a failure to write the folder). */
  discard(): void {
    this.#chunks = [];
    this.#countedBytes = 0;
    this.#counted = 0;
    this.#uncountedChars = 0;
  }

  /** Counts the bytes of the chunks not counted yet. */
  #count(): void {
    for (let i = this.#counted; i < this.#chunks.length; i++) this.#countedBytes += Buffer.byteLength(this.#chunks[i]!);
    this.#counted = this.#chunks.length;
    this.#uncountedChars = 0;
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
