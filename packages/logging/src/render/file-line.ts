import type { LogRecord } from "../record.js";
import { indent } from "./pretty.js";

const two = (n: number) => String(n).padStart(2, "0");

// Thousands of lines share a second: its `YYYY-MM-DD HH:mm:ss` is formatted once.
let second = Number.NaN;
let secondText = "";

/** Local time as `YYYY-MM-DD HH:mm:ss.SSS`, the seed's log timestamp. */
export function timestamp(d: Date): string {
  return timestampAt(d.getTime());
}

/** {@link timestamp} of a time in ms; a `Date` is made only when the second changes. */
export function timestampAt(ms: number): string {
  const millis = ((ms % 1000) + 1000) % 1000;
  const at = ms - millis;
  if (at !== second) {
    const d = new Date(ms);
    second = at;
    secondText = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }
  return `${secondText}.${String(millis).padStart(3, "0")}`;
}

/**
 * A line of a task's log file: `2025-01-31 12:00:00.000 | DONE  | (in 0:02.50)`, followed
 * by the record's extra lines (a stack trace), indented. Files never carry colour.
 */
export function fileLine(r: LogRecord): string {
  const line = `${timestampAt(r.at)} | ${r.kind.padEnd(5)} | ${r.message}`;
  return r.detail ? `${line}\n${indent(r.detail)}` : line;
}

/**
 * A line of a pipeline's log, which holds every task's lines: the task (or `Starting
 * pipeline...`) between the time and the badge, `2025-01-31 12:00:00.000 | TaskTwo | DONE  | (in 0:02.50)`.
 */
export function pipelineLine(r: LogRecord): string {
  const line = pipelineHead(r.at, r.who, r.kind, r.message);
  return r.detail ? `${line}\n${indent(r.detail)}` : line;
}

/** A pipeline log line without detail, from its parts (`at` in ms). */
export function pipelineHead(at: number, who: string, kind: string, message: string): string {
  return `${timestampAt(at)} | ${who} | ${kind.padEnd(5)} | ${message}`;
}
