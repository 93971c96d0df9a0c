import { lstatSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { LogFileError } from "../errors.js";
import { flushOnExit, forgetOnExit } from "../flush-on-exit.js";
import { type LineLevel, type LogLevelName, allows } from "../levels.js";
import type { LogRecord } from "../record.js";
import { encodePipelineHead, fileLine, pipelineHeadBytes, pipelineLine } from "../render/file-line.js";
import { jsonLine } from "../render/json.js";
import { fromFileName, toFileName } from "./file-name.js";
import { LogFile } from "./log-file.js";
import { ROTATED_FILE, pruneRotated, retentionCutoff } from "./retention.js";

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

/** Bytes gathered in memory, across files, before every batch is written at once. */
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
  /** The folder's `~pipeline.log`. */
  pipelineLog: string;
  /**
   * Tasks with a file of their own in the folder, found there when the run began or earned
   * since: they keep getting their lines. Kept by task name, so that a task that never
   * logs costs no file name.
   */
  owners: Set<string>;
  /** `.log` files in the folder whose task the name does not give back (a long name, cut and hashed): while there are any, a task's file name is worked out to compare. */
  unnamed: Set<string>;
  /**
   * A running task's records until it has a file or ends: rendered only if it earns a file, since most tasks end quietly and their lines are dropped.
   * A lone record is kept as it is, without an array.
   */
  pending: Map<string, LogRecord | LogRecord[]>;
  /** The task files written in this run, by task. */
  open: Map<string, LogFile>;
}

/** A folder marked failed: nothing is written to it until the run ends. */
const failedState = (dir: string): DirState => ({
  failed: true,
  pipelineLog: join(dir, PIPELINE_LOG),
  owners: new Set(),
  unnamed: new Set(),
  pending: new Map(),
  open: new Map(),
});

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
  /** Every file with lines gathered since it was last let go, by path: the pipeline logs and the task files of running tasks. */
  readonly #files = new Map<string, LogFile>();
  #batched = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: FileSinkOptions) {
    this.#options = options;
  }

  /** The file of a task's own lines (made when it logs or fails), or `undefined` when file logs are off. */
  fileOf(task: string, pipeline: string): string | undefined {
    const dir = this.#options.dirFor(pipeline);
    return dir === undefined ? undefined : taskFilePath(dir, task);
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
      const log = this.#fileAt(path);
      let line: string | undefined;
      if (this.#options.format === "json") this.#appendTo(log, (line = `${jsonLine(r)}\n`));
      else if (r.detail) this.#appendTo(log, `${pipelineLine(r)}\n`);
      else this.#appendHead(log, r.at, r.who, r.kind, r.message);
      if (r.task !== undefined) {
        path = undefined;
        this.#taskLine(dir, state, r, line);
      }
      this.#schedule();
    } catch (error) {
      this.#fail(dir, path ?? (dir !== undefined && r.task !== undefined ? taskFilePath(dir, r.task) : undefined), r.task, error);
    }
  }

  /**
   * A run event's line without detail, from its parts, as {@link write} would write its
   * record for pretty output: a record is made only when the task's file may need the line later.
   * @param event - the run event the line shows
   */
  writeLine(task: string, pipeline: string, at: number, level: LineLevel, kind: string, message: string, event: string): void {
    if (!allows(this.#options.level, level)) return;
    if (this.#options.format === "json") return this.write({ at, level, kind, who: task, task, pipeline, message, event });
    let dir: string | undefined;
    let path: string | undefined;
    try {
      dir = this.#options.dirFor(pipeline);
      if (dir === undefined) return;
      const state = this.#dirs.get(dir) ?? this.#openDir(dir);
      if (state.failed) return;
      path = state.pipelineLog;
      this.#appendHead(this.#fileAt(path), at, task, kind, message);
      path = undefined;
      if (ENDS_QUIETLY.has(event) && !this.#hasFile(state, task) && waitingFor(state, task) < PENDING_LINES) {
        // The task ends without a file of its own: what waited for it is dropped (the pipeline log has it).
        if (state.pending.size > 0) state.pending.delete(task);
      } else this.#taskLine(dir, state, { at, level, kind, who: task, task, pipeline, message, event }, undefined);
      this.#schedule();
    } catch (error) {
      this.#fail(dir, path ?? (dir !== undefined ? taskFilePath(dir, task) : undefined), task, error);
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
        if (!state.failed) {
          if (this.#hasFile(state, task) || waitingFor(state, task) >= PENDING_LINES) return false;
          if (state.pending.size > 0) state.pending.delete(task);
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
      this.#appendHead(this.#fileAt(path), at, task, kind, message);
      this.#schedule();
    } catch (error) {
      this.#fail(dir, path, task, error);
    }
    return true;
  }

  /** Writes the task's batch and forgets its waiting lines; its file is made again if it logs more. */
  release(task: string, pipeline: string): void {
    const dir = this.#options.dirFor(pipeline);
    const state = dir === undefined ? undefined : this.#dirs.get(dir);
    if (!state) return;
    if (state.pending.size > 0) state.pending.delete(task);
    if (state.open.size === 0) return;
    const file = state.open.get(task);
    if (!file) return;
    state.open.delete(task);
    this.#files.delete(file.path);
    try {
      file.flush();
    } catch (error) {
      this.#fail(dir, file.path, task, error);
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
    this.#dirs.clear();
    forgetOnExit(this);
  }

  /** Whether the task's file is open in this run or it has one in the folder: a warm run's folder mostly has none, and no lookup is made then. */
  #hasFile(state: DirState, task: string): boolean {
    return (state.open.size > 0 && state.open.has(task)) || ((state.owners.size > 0 || state.unnamed.size > 0) && this.#ownsFile(state, task));
  }

  /** Whether the task has a file of its own in the folder (it then keeps getting its lines). */
  #ownsFile(state: DirState, task: string): boolean {
    if (state.owners.has(task)) return true;
    if (state.unnamed.size === 0 || !state.unnamed.has(`${toFileName(task)}.log`)) return false;
    state.owners.add(task);
    return true;
  }

  /**
   * A task's line goes to its own file when it has one or when this line earns it one (the
   * task's own logging, a failure, or more engine lines than are kept waiting); until then
   * the line waits, and it is dropped if the task ends quietly (the pipeline log has it).
   */
  #taskLine(dir: string, state: DirState, r: LogRecord, line: string | undefined): void {
    const task = r.task as string;
    let file = state.open.get(task);
    if (!file) {
      const waiting = state.pending.get(task);
      const owns = r.event === undefined || r.event === "task:fail" || this.#ownsFile(state, task) || waitingLines(waiting) >= PENDING_LINES;
      if (!owns) {
        // The task ends quietly: its waiting lines are dropped with it (the pipeline log has them).
        if (r.event !== undefined && ENDS_QUIETLY.has(r.event)) state.pending.delete(task);
        else if (waiting === undefined) state.pending.set(task, r);
        else if (Array.isArray(waiting)) waiting.push(r);
        else state.pending.set(task, [waiting, r]);
        return;
      }
      state.owners.add(task);
      file = this.#fileAt(taskFilePath(dir, task));
      state.open.set(task, file);
      if (waiting !== undefined) {
        state.pending.delete(task);
        if (Array.isArray(waiting)) for (const earlier of waiting) this.#appendTo(file, this.#taskText(earlier));
        else this.#appendTo(file, this.#taskText(waiting));
      }
    }
    this.#appendTo(file, line ?? this.#taskText(r));
  }

  /** A record as a line of a task's own file. */
  #taskText(r: LogRecord): string {
    return `${this.#options.format === "json" ? jsonLine(r) : fileLine(r)}\n`;
  }


  #fileAt(path: string): LogFile {
    let file = this.#files.get(path);
    if (!file) {
      const { retainDays, rotateBytes } = this.#options;
      const expiredBefore = Number.isFinite(retainDays) ? retentionCutoff(this.#options.now(), retainDays) : Number.NEGATIVE_INFINITY;
      file = new LogFile(path, rotateBytes, expiredBefore, this.#options.now);
      this.#files.set(path, file);
    }
    return file;
  }

  #appendTo(file: LogFile, line: string): void {
    this.#batched += file.append(line);
  }

  /** A pipeline log line without detail, encoded from its parts straight into the file's batch. */
  #appendHead(file: LogFile, at: number, who: string, kind: string, message: string): void {
    const buffer = file.room(pipelineHeadBytes(who, kind, message));
    const start = file.end;
    this.#batched += file.commit(encodePipelineHead(buffer, start, at, who, kind, message) - start);
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
    const state: DirState = { ...failedState(dir), failed: false };
    this.#dirs.set(dir, state);
    // Logs can hold data from the tasks: private to the user, like the cache.
    refuseLink(dirname(dir));
    refuseLink(dir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    refuseLink(dir);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      // Unlisted, the folder still takes new files (retention is housekeeping).
      return state;
    }
    if (Number.isFinite(this.#options.retainDays)) {
      try {
        pruneRotated(dir, retentionCutoff(this.#options.now(), this.#options.retainDays), names);
      } catch {
        // Retention is housekeeping: a file that cannot be looked at is left for the next run.
      }
    }
    try {
      for (const name of names) {
        // A rotated file is no task's file: a task's own stem never holds a raw `~`.
        if (!name.endsWith(".log") || name === PIPELINE_LOG || ROTATED_FILE.test(name)) continue;
        const task = fromFileName(name);
        if (task === undefined) state.unnamed.add(name);
        else state.owners.add(task);
      }
    } catch {
      // A name that cannot be read back is no task's file as far as this run knows.
    }
    return state;
  }

  #fail(dir: string | undefined, path: string | undefined, task: string | undefined, error: unknown): void {
    const key = dir ?? "";
    const state = this.#dirs.get(key);
    if (state?.failed) return;
    if (dir === undefined) {
      for (const other of this.#dirs.values()) {
        other.pending.clear();
        other.open.clear();
      }
    }
    this.#dirs.set(key, failedState(key));
    for (const [p, file] of this.#files) {
      if (dir === undefined || dirname(p) === dir) {
        file.discard();
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

/** How many records a task has waiting in a folder; no lookup while nothing waits (a warm run). */
function waitingFor(state: DirState, task: string): number {
  return state.pending.size === 0 ? 0 : waitingLines(state.pending.get(task));
}

/** How many records a task has waiting. */
function waitingLines(waiting: LogRecord | LogRecord[] | undefined): number {
  return waiting === undefined ? 0 : Array.isArray(waiting) ? waiting.length : 1;
}

/** The path of a task's own file in `dir`. */
function taskFilePath(dir: string, task: string): string {
  return join(dir, `${toFileName(task)}.log`);
}
