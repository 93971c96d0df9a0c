import { lstatSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { LogFileError } from "../errors.js";
import { flushOnExit, forgetOnExit } from "../flush-on-exit.js";
import { type LineLevel, type LogLevelName, allows } from "../levels.js";
import type { LogRecord } from "../record.js";
import { fileLine, pipelineHead, pipelineLine } from "../render/file-line.js";
import { jsonLine } from "../render/json.js";
import { toFileName } from "./file-name.js";
import { LogFile } from "./log-file.js";
import { pruneRotated, retentionCutoff } from "./retention.js";

/** Throws when `path` exists and is a symbolic link: log folders never follow links. */
function refuseLink(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  if (link) throw new Error(`the folder ${path} is a symbolic link, and file logs never follow links; remove it, or set logDir to the folder it points to`);
}

/**
 * The file in a pipeline's log folder that holds every line of its runs. Task file stems
 * never hold a raw `~` at their start, so no task's file can take this name.
 */
export const PIPELINE_LOG = "~pipeline.log";

/** Lines gathered in memory, across files, before every batch is written at once. */
const BATCH_BYTES = 256 * 1024;
/** How long a line may wait in memory before its batch is written (for `tail -f`). */
const BATCH_MS = 100;
/** Run events that end a task without earning it a file of its own. */
const ENDS_QUIETLY: ReadonlySet<string> = new Set(["task:done", "task:skip", "task:cached"]);
/** A running task's engine lines kept in memory, waiting to see whether it gets a file of its own. */
const PENDING_LINES = 64;

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
  /** Names of the task files in the folder: a task with a file keeps getting its lines. */
  taskFiles: Set<string>;
  /** The folder's `~pipeline.log`. */
  pipelineLog: string;
}

/**
 * File logs: one append-only log per pipeline (`<dir>/~pipeline.log`) with every line,
 * tagged with its task, and a file of its own (`<dir>/<task>.log`) for each task that logs
 * something itself, fails, or already has one. Lines are written in batches, so that a
 * run of thousands of quiet tasks costs a few appends rather than a file per task, and no
 * descriptor stays open between batches. Files rotate by size; old ones are deleted by age.
 * A folder that cannot be written is reported once and skipped until the run ends;
 * nothing here ever throws to the caller.
 */
export class FileSink {
  readonly #options: FileSinkOptions;
  readonly #dirs = new Map<string, DirState>();
  readonly #files = new Map<string, LogFile>();
  /**
   * A running task's records, by its file's path, until it has a file or ends. Kept as records
   * and rendered only if the task earns a file: most tasks end quietly and their lines are dropped.
   */
  readonly #pending = new Map<string, LogRecord[]>();
  #batched = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Folder → task name → its file's name (`<stem>.log`) and path: a run asks for each several times. */
  readonly #taskFiles = new Map<string, Map<string, { name: string; path: string }>>();

  constructor(options: FileSinkOptions) {
    this.#options = options;
  }

  /** The file of a task's own lines (made when it logs or fails), or `undefined` when file logs are off. */
  fileOf(task: string, pipeline: string): string | undefined {
    const dir = this.#options.dirFor(pipeline);
    return dir === undefined ? undefined : this.#taskFile(dir, task).path;
  }

  /** The pipeline's log, holding every line, or `undefined` when file logs are off. */
  pipelineFileOf(pipeline: string): string | undefined {
    const dir = this.#options.dirFor(pipeline);
    return dir === undefined ? undefined : join(dir, PIPELINE_LOG);
  }

  write(r: LogRecord): void {
    if (r.pipeline === undefined || !allows(this.#options.level, r.level)) return;
    let dir: string | undefined;
    let path: string | undefined;
    try {
      dir = this.#options.dirFor(r.pipeline);
      if (dir === undefined) return;
      const state = this.#dirs.get(dir) ?? this.#openDir(dir);
      if (state.failed) return;
      path = state.pipelineLog;
      const json = this.#options.format === "json";
      const line = `${json ? jsonLine(r) : pipelineLine(r)}\n`;
      this.#append(path, line);
      if (r.task !== undefined) {
        const file = this.#taskFile(dir, r.task);
        path = file.path;
        this.#taskLine(state, file.name, path, r, json ? line : undefined);
      }
      this.#schedule();
    } catch (error) {
      this.#fail(dir, path, r.task, error);
    }
  }

  /**
   * A run event's one line that ends a task quietly (a cached task's), then {@link release}:
   * what `write` and `release` would do, without a record. Only the pipeline log gets the
   * line, since the task has no file of its own and earns none; `false`, with nothing done,
   * when that is not so (or for JSON lines), and the caller takes the general path.
   * @param shown - called once the line is taken, before it is written, so that the console shows it first as on the general path
   */
  endQuietly(task: string, pipeline: string, at: number, level: LineLevel, kind: string, message: string, shown: () => void): boolean {
    if (this.#options.format === "json" || !allows(this.#options.level, level)) return false;
    let dir: string | undefined;
    let state: DirState | undefined;
    try {
      dir = this.#options.dirFor(pipeline);
      if (dir !== undefined) {
        state = this.#dirs.get(dir) ?? this.#openDir(dir);
        // With no task file in the folder and no lines waiting, the task's file need not be looked up.
        if (!state.failed && (state.taskFiles.size > 0 || this.#pending.size > 0)) {
          const file = this.#taskFile(dir, task);
          const waiting = this.#pending.get(file.path);
          if (state.taskFiles.has(file.name) || this.#files.has(file.path) || (waiting?.length ?? 0) >= PENDING_LINES) return false;
          this.#pending.delete(file.path);
        }
      }
    } catch (error) {
      // A folder refused here (a link, no permission) is marked failed as on the general path, which then writes no file.
      if (dir !== undefined) this.#fail(dir, undefined, task, error);
      return false;
    }
    shown();
    if (dir === undefined || !state || state.failed) return true;
    const path = state.pipelineLog;
    try {
      this.#append(path, `${pipelineHead(at, task, kind, message)}\n`);
      this.#schedule();
    } catch (error) {
      this.#fail(dir, path, task, error);
    }
    return true;
  }

  /** Writes the task's batch and forgets its waiting lines; its file is made again if it logs more. */
  release(task: string, pipeline: string): void {
    const path = this.fileOf(task, pipeline);
    if (path === undefined) return;
    this.#pending.delete(path);
    const file = this.#files.get(path);
    if (!file) return;
    this.#files.delete(path);
    try {
      file.flush();
    } catch (error) {
      this.#fail(dirname(path), path, task, error);
    }
  }

  /** Writes every batch now. */
  flush(): void {
    this.#batched = 0;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [path, file] of this.#files) {
      try {
        file.flush();
      } catch (error) {
        this.#fail(dirname(path), path, undefined, error);
      }
    }
  }

  /** Writes every batch, lets go of every file and forgets failures, so that the next run tries again. */
  close(): void {
    this.flush();
    this.#files.clear();
    this.#pending.clear();
    this.#dirs.clear();
    this.#taskFiles.clear();
    forgetOnExit(this);
  }

  /**
   * A task's line goes to its own file when it has one or when this line earns it one (the
   * task's own logging, a failure, or more engine lines than are kept waiting); until then
   * the line waits, and it is dropped if the task ends quietly (the pipeline log has it).
   */
  #taskLine(state: DirState, name: string, path: string, r: LogRecord, line: string | undefined): void {
    const waiting = this.#pending.get(path);
    const owns =
      this.#files.has(path) ||
      state.taskFiles.has(name) ||
      r.event === undefined ||
      r.event === "task:fail" ||
      (waiting?.length ?? 0) >= PENDING_LINES;
    if (!owns) {
      // The task ends quietly: its waiting lines are dropped with it (the pipeline log has them).
      if (r.event !== undefined && ENDS_QUIETLY.has(r.event)) this.#pending.delete(path);
      else if (waiting) waiting.push(r);
      else this.#pending.set(path, [r]);
      return;
    }
    state.taskFiles.add(name);
    if (waiting) {
      this.#pending.delete(path);
      for (const earlier of waiting) this.#append(path, this.#taskText(earlier));
    }
    this.#append(path, line ?? this.#taskText(r));
  }

  /** A record as a line of a task's own file. */
  #taskText(r: LogRecord): string {
    return `${this.#options.format === "json" ? jsonLine(r) : fileLine(r)}\n`;
  }

  #taskFile(dir: string, task: string): { name: string; path: string } {
    let files = this.#taskFiles.get(dir);
    if (!files) {
      files = new Map();
      this.#taskFiles.set(dir, files);
    }
    let file = files.get(task);
    if (!file) {
      const name = `${toFileName(task)}.log`;
      file = { name, path: join(dir, name) };
      files.set(task, file);
    }
    return file;
  }

  #append(path: string, line: string): void {
    let file = this.#files.get(path);
    if (!file) {
      const { retainDays, rotateBytes } = this.#options;
      const expiredBefore = Number.isFinite(retainDays) ? retentionCutoff(this.#options.now(), retainDays) : Number.NEGATIVE_INFINITY;
      file = new LogFile(path, rotateBytes, expiredBefore);
      this.#files.set(path, file);
    }
    file.append(line, this.#options.now());
    this.#batched += line.length;
  }

  #schedule(): void {
    if (this.#batched >= BATCH_BYTES) this.flush();
    else if (!this.#timer) {
      flushOnExit(this);
      // unref: pending lines never keep the process alive; the exit hook writes them.
      this.#timer = setTimeout(() => this.flush(), BATCH_MS).unref();
    }
  }

  #openDir(dir: string): DirState {
    const state: DirState = { failed: false, taskFiles: new Set(), pipelineLog: join(dir, PIPELINE_LOG) };
    this.#dirs.set(dir, state);
    // Logs can hold data from the tasks: private to the user, like the cache.
    refuseLink(dirname(dir));
    refuseLink(dir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    refuseLink(dir);
    if (Number.isFinite(this.#options.retainDays)) {
      try {
        pruneRotated(dir, retentionCutoff(this.#options.now(), this.#options.retainDays));
      } catch {
        // Retention is housekeeping: a folder that cannot be listed can still be written.
      }
    }
    try {
      for (const name of readdirSync(dir)) if (name.endsWith(".log") && name !== PIPELINE_LOG) state.taskFiles.add(name);
    } catch {
      // Unlisted, the folder still takes new files.
    }
    return state;
  }

  #fail(dir: string | undefined, path: string | undefined, task: string | undefined, error: unknown): void {
    const key = dir ?? "";
    const state = this.#dirs.get(key);
    if (state?.failed) return;
    this.#dirs.set(key, { failed: true, taskFiles: new Set(), pipelineLog: join(key, PIPELINE_LOG) });
    for (const [p, file] of this.#files) {
      if (dir === undefined || dirname(p) === dir) {
        file.discard();
        this.#files.delete(p);
      }
    }
    for (const p of this.#pending.keys()) if (dir === undefined || dirname(p) === dir) this.#pending.delete(p);
    try {
      this.#options.onError(new LogFileError(path ?? dir ?? "(log folder)", task, error));
    } catch {
      // Reporting is best effort.
    }
  }
}
