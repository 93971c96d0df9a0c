import { closeSync, fstatSync, openSync, readSync, readdirSync } from "node:fs";
import { open, readdir } from "node:fs/promises";
import { hostname } from "node:os";
import { type ParsedChunk, parseChunk } from "./parse.js";
import { Kind, type SegmentInfo } from "./record.js";
import { SEGMENT_SUFFIX, openSegments } from "./writer.js";

/** What a store knows of one journal file written by someone else (or by an earlier run). */
export interface KnownSegment {
  name: string;
  path: string;
  info: SegmentInfo | undefined;
  /** Where to continue reading when the file grows. */
  resumeAt: number;
  sealed: boolean;
  /** Size and modification time at the last read, to skip files that have not changed. */
  size: number;
  mtimeMs: number;
  /** Bytes of the file that hold records. */
  bytes: number;
}

/** The journal file names in `dir`, or undefined when the folder does not exist (yet). */
export async function listSegments(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(SEGMENT_SUFFIX)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** {@link listSegments}, synchronously: for a store's opening, when nothing else waits on the thread. */
export function listSegmentsSync(dir: string): string[] | undefined {
  try {
    return readdirSync(dir).filter((n) => n.endsWith(SEGMENT_SUFFIX)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Files younger than this without a header may still be being created. */
const HEADERLESS_GRACE_MS = 60_000;

/**
 * Whether a journal file can still receive records. Sealed files cannot; neither can
 * those whose writer has gone (a crashed process, or a store in this process that stopped
 * without closing). Files written on another host are assumed alive, since their writer
 * cannot be checked.
 */
export function isLive(segment: KnownSegment): boolean {
  if (segment.sealed) return false;
  const info = segment.info;
  if (!info) return Date.now() - segment.mtimeMs < HEADERLESS_GRACE_MS;
  if (info.host !== hostname()) return true;
  return info.pid === process.pid ? openSegments.has(segment.path) : processAlive(info.pid);
}

/**
 * How many times a file is read before a bad record followed by good ones counts as damage.
 * A read that overlaps another process's append can see a later page already written and an
 * earlier one not yet (the reader was preempted between pages): a record that looks damaged
 * with whole records after it. Reading again shows the finished write; real damage stays.
 */
export const SETTLE_READS = 3;

/** Reads until no record looks damaged in the middle of the file, at most {@link SETTLE_READS} times. */
export async function settled(readOnce: () => Promise<SegmentRead | undefined>): Promise<SegmentRead | undefined> {
  let read = await readOnce();
  for (let again = 1; again < SETTLE_READS && read && hasCorrupt(read); again++) read = await readOnce();
  return read;
}

/** {@link settled}, synchronously. */
export function settledSync(readOnce: () => SegmentRead | undefined): SegmentRead | undefined {
  let read = readOnce();
  for (let again = 1; again < SETTLE_READS && read && hasCorrupt(read); again++) read = readOnce();
  return read;
}

function hasCorrupt(read: SegmentRead): boolean {
  return read.chunk.damage.some((d) => d.kind === "corrupt");
}

/** What reading a journal file found, with the size and time that tell a later scan whether it changed. */
export interface SegmentRead {
  chunk: ParsedChunk;
  size: number;
  mtimeMs: number;
}

/**
 * Reads a journal file from `from` on. Resolves undefined when the file has gone
 * (compaction removed it after folding its records into a newer file).
 */
export function readSegment(path: string, from: number): Promise<SegmentRead | undefined> {
  return settled(() => readSegmentOnce(path, from));
}

async function readSegmentOnce(path: string, from: number): Promise<SegmentRead | undefined> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    const length = Math.max(0, stat.size - from);
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buf, done, length - done, from + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return { chunk: parseChunk(buf.subarray(0, done), from), size: stat.size, mtimeMs: stat.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** {@link readSegment}, synchronously (see {@link listSegmentsSync}). */
export function readSegmentSync(path: string, from: number): SegmentRead | undefined {
  return settledSync(() => readSegmentOnceSync(path, from));
}

function readSegmentOnceSync(path: string, from: number): SegmentRead | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const length = Math.max(0, stat.size - from);
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const bytesRead = readSync(fd, buf, done, length - done, from + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return { chunk: parseChunk(buf.subarray(0, done), from), size: stat.size, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole journal file, for compaction. */
export async function readWholeSegment(path: string): Promise<{ chunk: ParsedChunk; mtimeMs: number }> {
  const handle = await open(path, "r");
  try {
    const [data, stat] = await Promise.all([handle.readFile(), handle.stat()]);
    return { chunk: parseChunk(data), mtimeMs: stat.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** The header of a parsed chunk that starts a file. */
export function headerOf(chunk: ParsedChunk): SegmentInfo | undefined {
  const first = chunk.records[0];
  return first?.kind === Kind.Header ? first.info : undefined;
}

