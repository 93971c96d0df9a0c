import { closeSync, existsSync, fstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";

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
 * One task's log file, appended to through a kept-open descriptor and rotated when
 * the next line would take it past `rotateBytes`. Writes are synchronous so that lines
 * from concurrent tasks never interleave and nothing is lost if the process exits.
 * @throws the file system's error; the caller turns it into a warning
 */
export class TaskFile {
  readonly path: string;
  readonly #rotateBytes: number;
  #fd: number | undefined;
  #size = 0;

  /**
   * @param expiredBefore - a file last written before this time (ms) is deleted on open,
   *   since every line in it is past retention
   */
  constructor(path: string, rotateBytes: number, expiredBefore: number) {
    this.path = path;
    this.#rotateBytes = rotateBytes;
    try {
      if (statSync(path).mtimeMs < expiredBefore) unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    this.#open();
  }

  /** Appends text, rotating first when it would not fit. */
  append(text: string, now: number): void {
    const bytes = Buffer.from(text, "utf8");
    if (this.#size > 0 && this.#size + bytes.length > this.#rotateBytes) this.#rotate(now);
    if (this.#fd === undefined) this.#open();
    let written = 0;
    while (written < bytes.length) written += writeSync(this.#fd!, bytes, written);
    this.#size += bytes.length;
  }

  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
  }

  #open(): void {
    this.#fd = openSync(this.path, "a");
    this.#size = fstatSync(this.#fd).size;
  }

  #rotate(now: number): void {
    this.close();
    renameSync(this.path, rotatedPath(this.path, now));
    this.#open();
  }
}
