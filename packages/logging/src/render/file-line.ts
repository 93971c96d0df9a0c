import type { LogRecord } from "../record.js";
import { indent } from "./pretty.js";

const two = (n: number) => String(n).padStart(2, "0");

/** Local time as `YYYY-MM-DD HH:mm:ss.SSS`, the seed's log timestamp. */
export function timestamp(d: Date): string {
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
  return `${date} ${time}`;
}

/**
 * A line of a task's log file: `2025-01-31 12:00:00.000 | DONE  | (in 0:02.50)`, followed
 * by the record's extra lines (a stack trace), indented. Files never carry colour.
 */
export function fileLine(r: LogRecord): string {
  const line = `${timestamp(r.time)} | ${r.kind.padEnd(5)} | ${r.message}`;
  return r.detail ? `${line}\n${indent(r.detail)}` : line;
}

/**
 * A line of a pipeline's log, which holds every task's lines: the task (or `Starting
 * pipeline...`) between the time and the badge, `2025-01-31 12:00:00.000 | TaskTwo | DONE  | (in 0:02.50)`.
 */
export function pipelineLine(r: LogRecord): string {
  const line = `${timestamp(r.time)} | ${r.who} | ${r.kind.padEnd(5)} | ${r.message}`;
  return r.detail ? `${line}\n${indent(r.detail)}` : line;
}
