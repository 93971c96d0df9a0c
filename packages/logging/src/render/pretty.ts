import type { LogRecord } from "../record.js";
import { COMPLETE } from "../events.js";
import type { Colors } from "./colors.js";

type Paint = (s: string) => string;
interface Style {
  who: Paint;
  kind: Paint;
  message: Paint;
}

function styleOf(r: LogRecord, c: Colors): Style {
  const plain: Paint = (s) => s;
  switch (r.kind) {
    case "EXEC":
      return { who: c.cyan, kind: c.blue, message: plain };
    case "DONE":
      return r.who === COMPLETE ? { who: (s) => c.bold(c.green(s)), kind: (s) => c.bold(c.green(s)), message: plain } : { who: c.cyan, kind: c.green, message: c.dim };
    case "SKIP":
      return { who: c.cyan, kind: c.yellow, message: c.dim };
    case "FAIL":
      return { who: c.red, kind: (s) => c.bold(c.red(s)), message: (s) => c.bold(c.red(s)) };
    case "WARN":
      return { who: c.cyan, kind: c.yellow, message: c.yellow };
    case "PERF":
    case "DEBUG":
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
  const line = `${s.who(r.who.padEnd(width))} : ${s.kind(r.kind)} : ${s.message(r.message)}`;
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
