import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { LogFileError } from "../errors.js";
import { type LogLevelName, allows } from "../levels.js";
import type { LogRecord } from "../record.js";
import { fileLine } from "../render/file-line.js";
import { jsonLine } from "../render/json.js";
import { toFileName } from "./file-name.js";
import { pruneRotated, retentionCutoff } from "./retention.js";
import { TaskFile } from "./task-file.js";

export interface FileSinkOptions {
  /** The folder of a pipeline's logs, or `undefined` for none. */
  dirFor(pipeline: string): string | undefined;
  level: LogLevelName;
  format: "pretty" | "json";
  rotateBytes: number;
  retainDays: number;
  /** Told once per folder per run when writing fails. */
  onError(error: LogFileError): void;
  now(): number;
}

interface DirState {
  failed: boolean;
}

/**
 * Per-task log files: `<dir>/<task>.log`, rotated by size, old ones deleted by age.
 * A folder that cannot be written is reported once and skipped until the run ends;
 * nothing here ever throws to the caller.
 */
export class FileSink {
  readonly #options: FileSinkOptions;
  readonly #dirs = new Map<string, DirState>();
  readonly #files = new Map<string, TaskFile>();

  constructor(options: FileSinkOptions) {
    this.#options = options;
  }

  /** The file a task's lines go to, or `undefined` when file logs are off. */
  fileOf(task: string, pipeline: string): string | undefined {
    const dir = this.#options.dirFor(pipeline);
    return dir === undefined ? undefined : join(dir, `${toFileName(task)}.log`);
  }

  write(r: LogRecord): void {
    if (r.task === undefined || r.pipeline === undefined || !allows(this.#options.level, r.level)) return;
    let dir: string | undefined;
    let path: string | undefined;
    try {
      dir = this.#options.dirFor(r.pipeline);
      if (dir === undefined) return;
      path = join(dir, `${toFileName(r.task)}.log`);
      const state = this.#dirs.get(dir) ?? this.#openDir(dir);
      if (state.failed) return;
      const text = `${this.#options.format === "json" ? jsonLine(r) : fileLine(r)}\n`;
      this.#file(path).append(text, this.#options.now());
    } catch (error) {
      this.#fail(dir, path, r.task, error);
    }
  }

  /** Closes a task's file; it is opened again if the task logs more. */
  release(task: string, pipeline: string): void {
    const path = this.fileOf(task, pipeline);
    if (path === undefined) return;
    const file = this.#files.get(path);
    this.#files.delete(path);
    try {
      file?.close();
    } catch {
      // Closing cannot lose lines: every write has already reached the file.
    }
  }

  /** Closes every file and forgets failures, so that the next run tries again. */
  close(): void {
    for (const file of this.#files.values()) {
      try {
        file.close();
      } catch {
        // See release().
      }
    }
    this.#files.clear();
    this.#dirs.clear();
  }

  #openDir(dir: string): DirState {
    const state: DirState = { failed: false };
    this.#dirs.set(dir, state);
    // Logs can hold data from the tasks: private to the user, like the cache.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (Number.isFinite(this.#options.retainDays)) {
      try {
        pruneRotated(dir, retentionCutoff(this.#options.now(), this.#options.retainDays));
      } catch {
        // Retention is housekeeping: a folder that cannot be listed can still be written.
      }
    }
    return state;
  }

  #file(path: string): TaskFile {
    let file = this.#files.get(path);
    if (!file) {
      const { retainDays, rotateBytes } = this.#options;
      const expiredBefore = Number.isFinite(retainDays) ? retentionCutoff(this.#options.now(), retainDays) : Number.NEGATIVE_INFINITY;
      file = new TaskFile(path, rotateBytes, expiredBefore);
      this.#files.set(path, file);
    }
    return file;
  }

  #fail(dir: string | undefined, path: string | undefined, task: string, error: unknown): void {
    const key = dir ?? "";
    const state = this.#dirs.get(key);
    if (state?.failed) return;
    this.#dirs.set(key, { failed: true });
    for (const [p, file] of this.#files) {
      if (dir === undefined || dirname(p) === dir) {
        try {
          file.close();
        } catch {}
        this.#files.delete(p);
      }
    }
    try {
      this.#options.onError(new LogFileError(path ?? dir ?? "(log folder)", task, error));
    } catch {
      // Reporting is best effort.
    }
  }
}
