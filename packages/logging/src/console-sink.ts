import type { RunEvent } from "@lp/core";
import { flushOnExit, forgetOnExit } from "./flush-on-exit.js";
import { type LineLevel, type LogLevelName, allows } from "./levels.js";
import type { LogRecord } from "./record.js";
import type { Colors } from "./render/colors.js";
import { jsonLine } from "./render/json.js";
import { padEnd, prettyLine, prettyTail } from "./render/pretty.js";
import { COMPLETE } from "./events.js";
import { ProgressState } from "./progress.js";

/** Where console output goes: `process.stdout` or anything with a `write(string)`. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** When true, colour and the live progress line are on unless told otherwise. */
  isTTY?: boolean | undefined;
  /** Terminal width, to keep the progress line on one row. @default 80 */
  columns?: number | undefined;
}

/** Moves to the start of the row and erases it. */
const CLEAR_ROW = "\r\x1b[2K";
/** Piped output gathered before it is written at once. */
const BATCH_CHARS = 64 * 1024;

type WriteFn = (...args: unknown[]) => unknown;

export interface ConsoleSinkOptions {
  level: LogLevelName;
  format: "pretty" | "json";
  colors: Colors;
  progress: boolean;
  progressIntervalMs: number;
}

/**
 * Console output: filters by level, renders lines, and keeps the live progress line
 * at the bottom, erasing it before each line and drawing it again after.
 *
 * On a terminal every line is written at once. Piped or redirected, a run's lines are gathered
 * and written once per event-loop turn (as Python block-buffers a pipe): a synchronous write per
 * line costs a system call each, and a slow reader makes each one wait. While lines wait,
 * the stream's `write` is wrapped so that anything else written to the stream (a task's
 * `console.log`) first writes them, which keeps the order of the output.
 */
export class ConsoleSink {
  readonly #stream: OutputStream;
  readonly #options: ConsoleSinkOptions;
  readonly #progress = new ProgressState();
  #level: LogLevelName;
  #width = 0;
  /** The last name padded to `#width`: a task's lines mostly come one after another. */
  #paddedFor: string | undefined;
  #padded = "";
  /** By kind, the last line written from parts: its message and the painted rest of it, which the next such line reuses. */
  readonly #tails = new Map<string, { message: string; complete: boolean; who: (s: string) => string; tail: string }>();
  #live = false;
  #shown = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #pipe: boolean;
  /** Lines are gathered only during a run, where they come by the thousand; a lone line outside one is written at once. */
  #batching = false;
  #batch: string[] = [];
  #batchChars = 0;
  #turn: NodeJS.Immediate | undefined;
  /** The stream's own `write` while it is wrapped, and whether it was an own property. */
  #unwrapped: { write: WriteFn; own: boolean; wrapper: WriteFn } | undefined;

  constructor(stream: OutputStream, options: ConsoleSinkOptions) {
    this.#stream = stream;
    this.#options = options;
    this.#level = options.level;
    this.#pipe = !stream.isTTY;
  }

  /** Writes the gathered lines now. */
  flush(): void {
    if (this.#turn) clearImmediate(this.#turn);
    this.#turn = undefined;
    this.#unwrap();
    forgetOnExit(this);
    if (this.#batch.length === 0) return;
    const text = this.#batch.join("");
    this.#batch = [];
    this.#batchChars = 0;
    this.#direct(text);
  }

  get level(): LogLevelName {
    return this.#level;
  }

  set level(level: LogLevelName) {
    this.#level = level;
    if (!this.#progressAllowed()) this.#hide();
  }

  /** Writes a record if its level passes. Never throws: a closed stream costs the line only. */
  write(r: LogRecord): void {
    if (!allows(this.#level, r.level)) return;
    const text =
      this.#options.format === "json" ? jsonLine(r) : prettyLine(r, this.#width, this.#options.colors, this.#level === "debug", r.raw ? undefined : this.#pad(r.who));
    if (this.#shown) this.#out(`${CLEAR_ROW}${text}\n${this.#status()}`);
    else this.#out(`${text}\n`);
  }

  /**
   * Writes a run event's one-line record from its parts, as {@link write} would: the path of
   * the thousands of cached tasks' lines, which makes no record. `false` for JSON output, which needs the record.
   */
  writeLine(level: LineLevel, who: string, kind: string, message: string): boolean {
    if (this.#options.format === "json") return false;
    if (!allows(this.#level, level)) return true;
    // A name changes the style of one line only: the closing DONE line's.
    const complete = who === COMPLETE;
    let last = this.#tails.get(kind);
    if (last === undefined || last.message !== message || last.complete !== complete) {
      const { who: paint, tail } = prettyTail(who, kind, message, this.#options.colors);
      if (last === undefined) {
        last = { message, complete, who: paint, tail };
        // Kinds come from a fixed set; a stray one is rendered each time rather than kept.
        if (this.#tails.size < 64) this.#tails.set(kind, last);
      } else {
        last.message = message;
        last.complete = complete;
        last.who = paint;
        last.tail = tail;
      }
    }
    const text = last.who(this.#pad(who)) + last.tail;
    if (this.#shown) this.#out(`${CLEAR_ROW}${text}${this.#status()}`);
    else this.#out(text);
    return true;
  }

  /** `who` padded to the run's name width. */
  #pad(who: string): string {
    if (who !== this.#paddedFor) {
      this.#padded = padEnd(who, this.#width);
      this.#paddedFor = who;
    }
    return this.#padded;
  }

  /** A run begins: align names to its longest and start the progress line. */
  runStarted(tasks: readonly string[], widest: number): void {
    this.#width = widest;
    this.#paddedFor = undefined;
    this.#batching = this.#pipe;
    this.#progress.start(tasks.length, Date.now());
    this.#live = this.#options.progress && this.#options.format === "pretty";
    if (this.#live && !this.#timer && this.#options.progressIntervalMs > 0) {
      this.#timer = setInterval(() => this.#redraw(), this.#options.progressIntervalMs);
      this.#timer.unref();
    }
  }

  /** Follows a run event for the progress line (nothing to follow when there is none). */
  track(e: RunEvent): void {
    if (!this.#live) return;
    this.#progress.update(e, Date.now());
    if (e.type.startsWith("task:")) this.#redraw();
  }

  /** The run is over: erase the progress line and stop redrawing. */
  runEnded(): void {
    this.#live = false;
    this.#batching = false;
    this.#hide();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.flush();
  }

  #progressAllowed(): boolean {
    return this.#live && allows(this.#level, "info");
  }

  #status(): string {
    const columns = this.#stream.columns;
    const line = this.#progress.render(Date.now(), columns !== undefined && columns > 0 ? columns : 80);
    return this.#options.colors.dim(line);
  }

  #redraw(): void {
    if (!this.#progressAllowed()) return;
    this.#out(`${CLEAR_ROW}${this.#status()}`);
    this.#shown = true;
  }

  /** Erases the progress line, if shown; it is drawn again on the next update. */
  clearLive(): boolean {
    const shown = this.#shown;
    this.#hide();
    return shown;
  }

  #hide(): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.#out(CLEAR_ROW);
  }

  #out(text: string): void {
    if (!this.#batching) return this.#direct(text);
    this.#batch.push(text);
    this.#batchChars += text.length;
    if (this.#batchChars >= BATCH_CHARS) return this.flush();
    if (this.#turn) return;
    this.#wrap();
    flushOnExit(this);
    this.#turn = setImmediate(() => this.flush());
  }

  #direct(text: string): void {
    try {
      const write = this.#unwrapped?.write ?? (this.#stream.write as WriteFn);
      write.call(this.#stream, text);
    } catch {
      // A closed or broken stream must not fail a task.
    }
  }

  #wrap(): void {
    if (this.#unwrapped) return;
    const stream = this.#stream as unknown as { write: WriteFn };
    const write = stream.write;
    const wrapper: WriteFn = (...args) => {
      this.flush();
      return write.apply(stream, args);
    };
    this.#unwrapped = { write, own: Object.hasOwn(stream, "write"), wrapper };
    stream.write = wrapper;
  }

  #unwrap(): void {
    const saved = this.#unwrapped;
    if (!saved) return;
    this.#unwrapped = undefined;
    const stream = this.#stream as unknown as { write: WriteFn };
    // Someone who wrapped it after us keeps their wrapper (ours then only flushes).
    if (stream.write !== saved.wrapper) return;
    if (saved.own) stream.write = saved.write;
    else delete (stream as { write?: WriteFn }).write;
  }
}
