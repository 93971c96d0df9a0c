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

function styleOf(r: LogRecord, c: Colors): Style {
  const key = r.kind === "DONE" && r.who === COMPLETE ? "DONE COMPLETE" : r.kind;
  let byKind = styles.get(c);
  if (!byKind) {
    byKind = new Map();
    styles.set(c, byKind);
  }
  let style = byKind.get(key);
  if (!style) {
    style = makeStyle(r, c);
    byKind.set(key, style);
  }
  return style;
}

function makeStyle(r: LogRecord, c: Colors): Style {
  const plain: Paint = (s) => s;
  switch (r.kind) {
    case "EXEC":
      return { who: c.cyan, kind: c.blue, message: plain };
    case "SUCCESS":
      return { who: c.cyan, kind: c.green, message: plain };
    case "DONE":
      return r.who === COMPLETE
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
 */
export function prettyLine(r: LogRecord, width: number, colors: Colors, detail = false): string {
  if (r.raw) return r.message;
  const s = styleOf(r, colors);
  const who = padEnd(r.who, width);
  const head = `${s.who(who)} : ${s.kind(r.kind)} : ${s.message(r.message)}`;
  // Notes sit under the message column; the full detail (a stack) replaces them at debug.
  const notes = r.notes?.length && !(detail && r.detail) ? r.notes.map((n) => colors.gray(`${" ".repeat(displayWidth(who) + 3)}${n}`)) : [];
  const line = [head, ...notes].join("\n");
  if (!detail || !r.detail) return line;
  return `${line}\n${colors.gray(indent(r.detail))}`;
}

/** Indents every line of a block by four spaces. */
export function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

/** Pads text to a display width, so that CJK and emoji task names line up. */
export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}
