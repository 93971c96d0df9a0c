import { displayWidth } from "./width.js";
import type { LogRecord } from "../record.js";
import { COMPLETE } from "../events.js";
import type { Colors } from "./colors.js";

type Paint = (s: string) => string;
interface Style {
  who: Paint;
  kind: Paint;
  message: Paint;
}

// Two lines per task share a handful of styles: each is made once per colour set.
const styles = new WeakMap<Colors, Map<string, Style>>();

function styleOf(kind: string, who: string, c: Colors): Style {
  const key = kind === "DONE" && who === COMPLETE ? "DONE COMPLETE" : kind;
  let byKind = styles.get(c);
  if (!byKind) {
    byKind = new Map();
    styles.set(c, byKind);
  }
  let style = byKind.get(key);
  if (!style) {
    style = makeStyle(kind, who, c);
    byKind.set(key, style);
  }
  return style;
}

function makeStyle(kind: string, who: string, c: Colors): Style {
  const plain: Paint = (s) => s;
  switch (kind) {
    case "EXEC":
      return { who: c.cyan, kind: c.blue, message: plain };
    case "SUCCESS":
      return { who: c.cyan, kind: c.green, message: plain };
    case "DONE":
      return who === COMPLETE
        ? { who: (s) => c.bold(c.green(s)), kind: (s) => c.bold(c.green(s)), message: plain }
        : { who: c.cyan, kind: c.green, message: c.dim };
    case "SKIP":
      return { who: c.cyan, kind: c.yellow, message: c.dim };
    case "FAIL":
    case "ERROR":
    case "CRITICAL":
      return { who: c.red, kind: (s) => c.bold(c.red(s)), message: (s) => c.bold(c.red(s)) };
    case "STOP":
    case "WARN":
      return { who: c.cyan, kind: c.yellow, message: c.yellow };
    case "PERF":
    case "DEBUG":
    case "TRACE":
      return { who: c.gray, kind: c.gray, message: c.gray };
    default:
      return { who: c.cyan, kind: plain, message: plain };
  }
}

/**
 * A console line in the seed's shape, names padded to `width` so the columns line up:
 * `TaskTwo            : DONE : (in 0:02.50)`. Without colour it is exactly what core's
 * `plainLogger()` prints.
 * @param detail - also print the record's extra lines (stack traces), indented
 * @param padded - `r.who` already padded to `width`, when the caller keeps it
 */
export function prettyLine(r: LogRecord, width: number, colors: Colors, detail = false, padded?: string): string {
  if (r.raw) return r.message;
  const head = prettyHead(r.who, r.kind, r.message, width, colors, padded);
  // Notes sit under the message column; the full detail (a stack) replaces them at debug.
  if (!r.notes?.length && !(detail && r.detail)) return head;
  const pad = " ".repeat(displayWidth(padEnd(r.who, width)) + 3);
  const notes = r.notes?.length && !(detail && r.detail) ? r.notes.map((n) => colors.gray(`${pad}${n}`)) : [];
  const line = [head, ...notes].join("\n");
  if (!detail || !r.detail) return line;
  return `${line}\n${colors.gray(indent(r.detail))}`;
}

/**
 * A console line's columns alone, without notes or detail: the whole line of most run events.
 * @param padded - `who` already padded to `width`, when the caller keeps it
 */
export function prettyHead(who: string, kind: string, message: string, width: number, colors: Colors, padded?: string): string {
  const s = styleOf(kind, who, colors);
  return `${s.who(padded ?? padEnd(who, width))} : ${s.kind(kind)} : ${s.message(message)}`;
}

/**
 * A console line's columns after the name, with the newline: ` : SKIP : Using cached results (number)\n`,
 * and how the name is painted; {@link prettyHead} is `who(padded) + tail` without the newline.
 */
export function prettyTail(who: string, kind: string, message: string, colors: Colors): { who: Paint; tail: string } {
  const s = styleOf(kind, who, colors);
  return { who: s.who, tail: ` : ${s.kind(kind)} : ${s.message(message)}\n` };
}

/** Indents every line of a block by four spaces. */
export function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

/** Runs of spaces by length: names are padded to a run's widest, so a few lengths recur thousands of times. */
const spaces: string[] = [];

/** Pads text to a display width, so that CJK and emoji task names line up. */
export function padEnd(text: string, width: number): string {
  const missing = width - displayWidth(text);
  if (missing <= 0) return text;
  return text + (missing < 256 ? (spaces[missing] ??= " ".repeat(missing)) : " ".repeat(missing));
}
