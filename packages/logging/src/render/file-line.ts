import type { LogRecord } from "../record.js";
import { indent } from "./pretty.js";

const two = (n: number) => String(n).padStart(2, "0");

// Thousands of lines share a second: its `YYYY-MM-DD HH:mm:ss` is formatted once, as text and bytes.
let second = Number.NaN;
let secondText = "";
let secondBytes: Buffer = Buffer.alloc(0);

/** The second `ms` falls in, formatted once per second; returns its milliseconds. */
function enterSecond(ms: number): number {
  const millis = ((ms % 1000) + 1000) % 1000;
  const at = ms - millis;
  if (at !== second) {
    const d = new Date(ms);
    second = at;
    secondText = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
    secondBytes = Buffer.from(secondText, "latin1");
  }
  return millis;
}

/** Local time as `YYYY-MM-DD HH:mm:ss.SSS`, the seed's log timestamp. */
export function timestamp(d: Date): string {
  return timestampAt(d.getTime());
}

/** {@link timestamp} of a time in ms; a `Date` is made only when the second changes. */
export function timestampAt(ms: number): string {
  const millis = enterSecond(ms);
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

/** How many messages are kept as bytes, and seen once on the way there, of at most how many UTF-16 units. */
const KEPT_MESSAGES = 256;
const MESSAGE_CHARS = 120;
/** Messages that recur, as UTF-8: a run's lines mostly say one of a few things. */
const messageBytes = new Map<string, Buffer>();
const seenMessages = new Set<string>();

/** `<kind padded to 5> | ` as bytes, by kind: a run's lines use a handful of kinds. */
const kindBytes = new Map<string, Buffer>();

/** Most bytes {@link encodePipelineHead} writes for these parts (UTF-8 takes at most 3 bytes per UTF-16 unit). */
export function pipelineHeadBytes(who: string, kind: string, message: string): number {
  return 64 + 3 * (who.length + kind.length + message.length);
}

/** Writes `text` as UTF-8 at `offset`: short ASCII text byte by byte, which beats a call into the encoder. */
function put(buffer: Buffer, offset: number, text: string): number {
  const length = text.length;
  if (length <= 64) {
    let o = offset;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return offset + buffer.write(text, offset);
      buffer[o++] = c;
    }
    return o;
  }
  return offset + buffer.write(text, offset);
}

/**
 * Writes a message at `offset`. A short message seen twice is likely to come again (a cached
 * task's, a task's start), so it is kept as bytes and copied in one call from then on: the
 * first thousand lines of a run are written before the engine optimises {@link put}'s loop.
 */
function putMessage(buffer: Buffer, offset: number, message: string): number {
  const known = messageBytes.get(message);
  if (known !== undefined) {
    buffer.set(known, offset);
    return offset + known.length;
  }
  const end = put(buffer, offset, message);
  if (message.length > MESSAGE_CHARS) return end;
  if (seenMessages.has(message)) {
    seenMessages.delete(message);
    if (messageBytes.size < KEPT_MESSAGES) messageBytes.set(message, Buffer.from(buffer.subarray(offset, end)));
  } else if (seenMessages.size < KEPT_MESSAGES) seenMessages.add(message);
  return end;
}

/** Writes ` | ` at `offset`. */
function bar(buffer: Buffer, offset: number): number {
  buffer[offset] = 0x20;
  buffer[offset + 1] = 0x7c;
  buffer[offset + 2] = 0x20;
  return offset + 3;
}

/**
 * {@link pipelineHead} and its newline encoded as UTF-8 straight into `buffer` at `offset`,
 * which has room for {@link pipelineHeadBytes}: the same bytes, without a string per line.
 * @returns the offset after the line
 */
export function encodePipelineHead(buffer: Buffer, offset: number, at: number, who: string, kind: string, message: string): number {
  const millis = enterSecond(at);
  // A clock with fractions of a millisecond (or none) gets the text path's rendering.
  if (!Number.isInteger(millis)) return offset + buffer.write(`${pipelineHead(at, who, kind, message)}\n`, offset);
  let o = offset;
  buffer.set(secondBytes, o);
  o += secondBytes.length;
  buffer[o++] = 0x2e; // "."
  buffer[o++] = 0x30 + ((millis / 100) | 0);
  buffer[o++] = 0x30 + (((millis / 10) | 0) % 10);
  buffer[o++] = 0x30 + (millis % 10);
  o = put(buffer, bar(buffer, o), who);
  o = bar(buffer, o);
  let badge = kindBytes.get(kind);
  if (badge === undefined) {
    badge = Buffer.from(`${kind.padEnd(5)} | `);
    // Kinds come from a fixed set; a stray one is encoded each time rather than kept.
    if (kindBytes.size < 64) kindBytes.set(kind, badge);
  }
  buffer.set(badge, o);
  o = putMessage(buffer, o + badge.length, message);
  buffer[o++] = 0x0a; // "\n"
  return o;
}
