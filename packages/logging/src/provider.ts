import type { Logger, LoggerProvider, PipelineLocation, RunEvent } from "@lp/core";
import type { ConsolaInstance } from "consola/core";
import { displayWidth } from "./render/width.js";
import { ConsoleSink } from "./console-sink.js";
import { COMPLETE, type EventStyle, eventRecords } from "./events.js";
import { cachedMessage, doneMessage, processLine, reasonMessage, startMessage } from "@lp/core/internal";
import { FileSink } from "./files/file-sink.js";
import { resolveLogDir } from "./files/log-dir.js";
import { taskLogLines } from "./files/task-view.js";
import { LogFileError } from "./errors.js";
import { type LineLevel, type LogLevelName, allows, parseLevel } from "./levels.js";
import { type LoggerOptions, resolveOptions } from "./options.js";
import type { LogRecord } from "./record.js";
import { colorsFor } from "./render/colors.js";
import { formatTimings, runTimings } from "./timings.js";
import { rootConsola, taskLogger } from "./task-logger.js";

/** The logger provider {@link createLogger} returns: core's contract plus run-time controls. */
export interface LpLogger extends LoggerProvider {
  /** The task's consola logger, tagged with its name; its lines also go to the task's log file. */
  forTask(task: string, pipeline: string): Logger;
  /**
   * Shows a run event as the seed's lines and feeds the progress line. One provider follows
   * one run at a time; give pipelines that run side by side a provider each.
   */
  event(event: RunEvent): void;
  /** Erases the progress line and closes log files; awaited by core at the end of each run. */
  flush(): Promise<void>;
  /** Erases the progress line so that something else can print; it comes back on the next update. */
  clearLive(): boolean;
  /** The console's current threshold. */
  readonly level: LogLevelName;
  /**
   * Changes the console's threshold at once, also for task loggers already handed out
   * (the shell's `log LEVEL`). File logs keep their own `fileLevel`.
   * @throws InvalidOptionError for an unknown level
   * @example logger.setLevel("PERF")
   */
  setLevel(level: LogLevelName | (string & {})): void;
  /** Silences the console, progress line included (the shell's `quiet`); `setLevel` turns it back on. Files still record. */
  quiet(): void;
  /** Turns the end-of-run timing table on or off. */
  setTimings(on: boolean): void;
  /**
   * The file of a task's own lines, or `undefined` when file logs are off. It exists for a
   * task that logged something itself or failed (and keeps getting its lines from then on);
   * every task's lines are in {@link pipelineLogFile}, and {@link taskLog} picks them out.
   */
  logFile(task: string, pipeline: string): string | undefined;
  /** The pipeline's log (`<logDir>/~pipeline.log`): every line of its runs, tagged with its task; `undefined` when file logs are off. */
  pipelineLogFile(pipeline: string): string | undefined;
  /**
   * A task's lines from the pipeline's log, its rotated files included, oldest first
   * (what `lp logs TASK` prints); empty when file logs are off or the task never ran.
   * @throws LogFileError when the log folder cannot be read
   * @example logger.taskLog("Sum", "Example1").join("\n")
   */
  taskLog(task: string, pipeline: string): string[];
  /** The folder a pipeline's task logs go to, or `undefined` when file logs are off. */
  logDir(pipeline: string): string | undefined;
}

const ENDS_A_TASK: ReadonlySet<RunEvent["type"]> = new Set(["task:done", "task:fail", "task:skip", "task:cached"]);

/**
 * Output for pipelines on consola and picocolors: the seed's aligned lines on the console
 * (or JSON lines), a live progress line on a TTY, file logs (one log per pipeline, a file per task that logs itself or fails, written in batches) with rotation and
 * retention, and an optional timing table. Nothing it does can fail a task or a run.
 *
 * @throws InvalidOptionError for a bad option or an unknown `LP_LOG_LEVEL`, naming it
 * @example
 * const pipeline = new Pipeline("Example1", { logger: createLogger({ level: "perf", timings: true }) });
 */
export function createLogger(options: LoggerOptions = {}): LpLogger {
  const opts = resolveOptions(options);
  const dirs = new Map<string, string | undefined>();
  const locations = new Map<string, PipelineLocation>();
  const dirFor = (pipeline: string) => {
    let dir = dirs.get(pipeline);
    if (dir === undefined && !dirs.has(pipeline)) {
      dir = resolveLogDir(pipeline, opts.logDir, opts.env, locations.get(pipeline));
      dirs.set(pipeline, dir);
    }
    return dir;
  };
  const colors = colorsFor(opts.color);
  const screen = new ConsoleSink(opts.stream, {
    level: opts.level,
    format: opts.format,
    colors,
    progress: opts.progress,
    progressIntervalMs: opts.progressIntervalMs,
  });
  const write = (r: LogRecord) => {
    screen.write(r);
    files.write(r);
  };
  const files: FileSink = new FileSink({
    dirFor,
    level: opts.fileLevel,
    format: opts.format,
    rotateBytes: opts.rotateBytes,
    retainDays: opts.retainDays,
    now: opts.now,
    onError: (error) =>
      screen.write({
        at: opts.now(),
        level: "warn",
        kind: "WARN",
        who: "Logs",
        message: error.message,
        data: { error: { name: error.name, code: error.code, message: error.message } },
      }),
  });
  let root: ConsolaInstance | undefined;
  const rootOf = () => (root ??= rootConsola(write));
  /** Task loggers handed out, by pipeline and task, until their task ends. */
  const loggers = new Map<string, Map<string, Logger>>();
  let pipeline: string | undefined;
  let timings = opts.timings;
  // JSON data is made only for JSON output, and debug lines only while something prints them.
  const filesTakeDebug = opts.logDir !== false && allows(opts.fileLevel, "debug");
  const style: EventStyle = { processTimings: opts.processTimings, data: opts.format === "json", debug: true };
  const levelChanged = () => {
    style.debug = filesTakeDebug || allows(screen.level, "debug");
  };
  levelChanged();

  /** Cached tasks' messages by result type: a warm run has thousands of tasks and a few types. */
  const cachedMessages = new Map<string | undefined, string>();
  const messageOf = (resultType: string | undefined): string => {
    let message = cachedMessages.get(resultType);
    if (message === undefined) {
      message = cachedMessage(resultType);
      if (cachedMessages.size < 64) cachedMessages.set(resultType, message);
    }
    return message;
  };
  /** The cached task whose line `shown` puts on the console: one function for every such event. */
  let quietEvent: Extract<RunEvent, { type: "task:cached" }> | undefined;
  let quietMessage = "";
  const shown = () => {
    const e = quietEvent as Extract<RunEvent, { type: "task:cached" }>;
    screen.track(e);
    screen.writeLine("info", e.task, "SKIP", quietMessage);
  };

  /**
   * A cached task's event without records: warm runs deliver thousands, one line each, and
   * most go only to the console and the pipeline log. `false` before anything is written when the general path is needed.
   */
  const cachedQuietly = (e: Extract<RunEvent, { type: "task:cached" }>): boolean => {
    const p = pipeline as string;
    if (opts.format === "json") return false;
    quietEvent = e;
    quietMessage = messageOf(e.resultType);
    if (!files.endQuietly(e.task, p, e.at, "info", "SKIP", quietMessage, shown)) return false;
    loggers.get(p)?.delete(e.task);
    return true;
  };

  /** A task has ended: its file is released and its logger, handed out for this run, kept no longer (memory follows the running tasks). */
  const taskEnded = (task: string, p: string) => {
    files.release(task, p);
    const byTask = loggers.get(p);
    if (byTask !== undefined && byTask.size > 0) byTask.delete(task);
  };
  /** A task's line without detail or notes, from its parts, to the console and the files (pretty output only). */
  const line = (task: string, at: number, level: LineLevel, kind: string, message: string, event: RunEvent["type"]) => {
    screen.writeLine(level, task, kind, message);
    files.writeLine(task, pipeline as string, at, level, kind, message, event);
  };
  /**
   * The run's thousands of task starts, process timings and ends, shown without records
   * (pretty output); `false`, with nothing done, for an event that takes the general path.
   */
  const taskQuietly = (e: RunEvent): boolean => {
    switch (e.type) {
      case "task:start":
        screen.track(e);
        line(e.task, e.at, "info", "EXEC", startMessage(e.attempt), e.type);
        if (!(e.attempt > 1) && style.debug !== false) line(e.task, e.at, "debug", "DEBUG", reasonMessage(e.decision), e.type);
        return true;
      case "task:process": {
        screen.track(e);
        const { level, kind, message } = processLine(e, opts.processTimings);
        line(e.task, e.at, level, kind, message, e.type);
        return true;
      }
      case "task:done":
        screen.track(e);
        line(e.task, e.at, "info", "DONE", doneMessage(e.record), e.type);
        taskEnded(e.task, pipeline as string);
        return true;
      default:
        return false;
    }
  };
  const pretty = opts.format === "pretty";

  return {
    forTask(task, pipelineName) {
      let byTask = loggers.get(pipelineName);
      if (!byTask) {
        byTask = new Map();
        loggers.set(pipelineName, byTask);
      }
      let logger = byTask.get(task);
      if (!logger) {
        logger = taskLogger(rootOf, task, pipelineName);
        byTask.set(task, logger);
      }
      return logger;
    },
    locate(pipelineName, location) {
      locations.set(pipelineName, location);
      dirs.delete(pipelineName);
    },
    event(e) {
      try {
        if (pipeline !== undefined && (e.type === "task:cached" ? cachedQuietly(e) : pretty && taskQuietly(e))) return;
        if (e.type === "run:start") {
          pipeline = e.pipeline;
          screen.runStarted(
            e.tasks,
            e.tasks.reduce((widest, t) => Math.max(widest, displayWidth(t)), COMPLETE.length),
          );
        } else if (e.type === "run:end") screen.runEnded();
        else screen.track(e);
        for (const r of eventRecords(e, pipeline, style)) {
          const log = e.type === "task:fail" && pipeline !== undefined ? files.fileOf(e.task, pipeline) : undefined;
          write(log ? { ...r, notes: [...(r.notes ?? []), `full log: ${log}`] } : r);
        }
        if (pipeline !== undefined && "task" in e && e.task !== undefined && ENDS_A_TASK.has(e.type)) taskEnded(e.task, pipeline);
        if (e.type === "run:end" && timings) {
          const data = runTimings(e.summary);
          const table = formatTimings(data, opts.format === "json" ? colorsFor(false) : colors);
          write({
            at: e.at,
            level: "info",
            kind: "TIME",
            who: COMPLETE,
            pipeline,
            message: table,
            raw: true,
            event: "run:timings",
            data: { ...data },
          });
        }
      } catch {
        // Output must never break a run.
      }
    },
    clearLive() {
      return screen.clearLive();
    },
    flush() {
      screen.runEnded();
      files.close();
      return Promise.resolve();
    },
    get level() {
      return screen.level;
    },
    setLevel(level) {
      screen.level = parseLevel(level, "setLevel()", "level");
      levelChanged();
    },
    quiet() {
      screen.level = "silent";
      levelChanged();
    },
    setTimings(on) {
      timings = !!on;
    },
    logFile(task, pipelineName) {
      return files.fileOf(task, pipelineName);
    },
    pipelineLogFile(pipelineName) {
      return files.pipelineFileOf(pipelineName);
    },
    taskLog(task, pipelineName) {
      const dir = dirFor(pipelineName);
      if (dir === undefined) return [];
      files.flush();
      try {
        return taskLogLines(dir, task, opts.format);
      } catch (error) {
        throw new LogFileError(dir, task, error);
      }
    },
    logDir(pipelineName) {
      return dirFor(pipelineName);
    },
  };
}
