// The floor of the big-result rows: the same work as scenarios/data.mjs (1,000,000 records
// `{ i, payload }` or a 100 MB Buffer, stored and read back) done by bare Node, with no
// little-pipelines code, so that a figure of ours can be split into the work itself and what
// the library adds. Two floors:
//
// - "safe": what a crash-safe, content-addressed store of exact values must do at least. The
//   records are checked (the smallest walk that tells whether MessagePack carries them exactly:
//   shared or circular objects, -0, lone surrogates, anything but plain objects and arrays) and
//   packed by msgpackr with core's default options into one buffer sized up front; the body is
//   written in one write to a temporary file opened O_DSYNC (durable when the write returns) on
//   libuv's thread while this thread hashes it (sha256, which names it) and decodes it for the
//   reader (an own copy, as a reader gets); then renamed to its digest and the folder synced.
//   A read in a new process reads the file in pieces, each hashed (sha256) while the next is
//   read, checks the digest and decodes it.
// - "bare": no safety at all: no check, no sha256, no sync; pack, plain write, decode.
//
// A Buffer is not packed (its bytes are the body); the reader's own copy is a copy of it.
// Each phase is timed on this thread; the write is timed from its start to its return, so it
// overlaps the sha256 and the decode. "serial" (after the variant) waits for each phase before
// the next, for each one's cost alone.
//
// node scenarios/data-floor.mjs <records|buffer> <write-read|read> <home> [safe|bare] [serial]
import { createHash } from "node:crypto";
import { constants, mkdirSync, readdirSync } from "node:fs";
import { open, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { report, since } from "../lib/report.mjs";

const [kind, mode, home, variant = "safe", order = "overlapped"] = process.argv.slice(2);
if (!["records", "buffer"].includes(kind) || !["write-read", "read"].includes(mode) || !home || !["safe", "bare"].includes(variant)) {
  throw new Error("usage: node scenarios/data-floor.mjs <records|buffer> <write-read|read> <home> [safe|bare] [serial]");
}
const safe = variant === "safe";
const serial = order === "serial";
const COUNT = 1_000_000;
const SIZE = 100 * 1024 * 1024;
const dir = join(home, `floor-${kind}-${variant}`);

// msgpackr as core loads it (the same copy, with its native string reader), with core's options.
const { Packr } = createRequire(new URL("../../packages/core/dist/index.js", import.meta.url))("msgpackr");
const packr = new Packr({
  useRecords: true,
  mapsAsObjects: false,
  moreTypes: true,
  int64AsType: "bigint",
  useBigIntExtension: true,
  copyBuffers: true,
});

// Built exactly as scenarios/data.mjs builds them.
const make = () => {
  if (kind === "records") return Array.from({ length: COUNT }, (_, i) => ({ i, payload: "x".repeat(80) + i }));
  const buf = Buffer.allocUnsafe(SIZE);
  for (let i = 0; i < SIZE; i += 4096) buf.writeUInt32LE((i * 2654435761) >>> 0, i);
  return buf;
};
const check = (got) => {
  const ok =
    kind === "records"
      ? got.length === COUNT && got[COUNT - 1].payload === "x".repeat(80) + (COUNT - 1)
      : got.byteLength === SIZE && got.readUInt32LE(4096) === (4096 * 2654435761) >>> 0;
  if (!ok) throw new Error(`read back the wrong ${kind}`);
};

// Each string is read (one character) before the pack: that makes a concatenated string flat
// in place, which msgpackr would otherwise do itself, slower, once its 100 MB buffer is
// allocated (that much memory outside the heap hurries V8 into collecting the whole heap).

/** The least a store must know before packing: is this plain data MessagePack carries exactly? Flattens each string. */
function exact(value, seen) {
  if (typeof value === "string") return value.charCodeAt(0) >= 0 && value.isWellFormed();
  if (typeof value === "number") return !Object.is(value, -0);
  if (value === null || typeof value === "boolean" || value === undefined) return true;
  if (typeof value !== "object" || seen.has(value)) return false;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !exact(value[i], seen)) return false;
    return true;
  }
  if (proto !== Object.prototype) return false;
  for (const key in value) if (!key.isWellFormed() || !exact(value[key], seen)) return false;
  return Object.getOwnPropertySymbols(value).length === 0;
}

/** Flattens each string of plain data, and checks nothing. */
function flatten(value) {
  if (typeof value === "string") value.charCodeAt(0);
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) flatten(value[i]);
  else if (value !== null && typeof value === "object") for (const key in value) flatten(value[key]);
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const decode = (body) => (kind === "records" ? packr.unpack(body) : Buffer.from(body));
const phases = {};
/** Runs `fn`, adding the time it took to `phases[name]`. */
const timed = (name, fn) => {
  const t = performance.now();
  const value = fn();
  phases[name] = since(t);
  return value;
};

/** Writes the body (durably when safe), hashing and decoding it meanwhile; resolves with the reader's copy. */
async function store(body) {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `tmp-${process.pid}`);
  const t = performance.now();
  let writeEnd = 0;
  const written = safe ? writeDurably(tmp, body) : writeFile(join(dir, "body"), body);
  const writing = written.then(() => (writeEnd = performance.now()));
  if (serial) await writing;
  const digest = safe ? timed("sha256", () => sha256(body)) : undefined;
  const value = timed("decode", () => decode(body));
  const waited = performance.now();
  await writing;
  phases.writeWait = since(waited);
  phases.write = Math.round((writeEnd - t) * 10) / 10;
  if (safe) {
    const durable = performance.now();
    await rename(tmp, join(dir, digest));
    await syncFolder(dir);
    phases.durable = since(durable);
  }
  return value;
}

async function writeDurably(file, body) {
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC, 0o600);
  try {
    for (let done = 0; done < body.byteLength; ) done += (await handle.write(body, done, body.byteLength - done, done)).bytesWritten;
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder) {
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// A body read back is read in pieces of this size, each hashed while the next is read.
const PIECE = 4 * 1024 * 1024;

/** The body back from disk in a new process; when safe, checked against the digest it is named by, hashing each piece while the next is read. */
async function load() {
  const name = safe ? readdirSync(dir).find((f) => !f.startsWith("tmp-")) : "body";
  const t = performance.now();
  const handle = await open(join(dir, name), "r");
  let body;
  try {
    const { size } = await handle.stat();
    body = Buffer.allocUnsafeSlow(size);
    const hash = safe ? createHash("sha256") : undefined;
    const piece = (from) => handle.read(body, from, Math.min(safe ? PIECE : size, size - from), from);
    let next = piece(0);
    for (let from = 0; from < size; ) {
      const { bytesRead } = await next;
      if (bytesRead === 0) throw new Error("the body is shorter than its file");
      const end = from + bytesRead;
      if (end < size) next = piece(end);
      hash?.update(body.subarray(from, end));
      from = end;
    }
    if (hash && hash.digest("hex") !== name) throw new Error("the body does not match its digest");
  } finally {
    await handle.close();
  }
  phases[safe ? "readHashed" : "readFile"] = since(t);
  return kind === "records" ? timed("decode", () => packr.unpack(body)) : body;
}

const start = performance.now();
let run;
let read;
if (mode === "write-read") {
  const value = make();
  phases.built = Math.round(performance.now()); // from the process's start
  const t = performance.now();
  if (kind === "records" && safe && !timed("check", () => exact(value, new Set()))) throw new Error("not plain data");
  if (kind === "records" && !safe) timed("flatten", () => flatten(value));
  let body = value;
  if (kind === "records") {
    // Sized up front, as core sizes it from its walk; pages are only touched as they are written.
    packr.useBuffer(Buffer.allocUnsafeSlow(128 * 1024 * 1024));
    body = timed("pack", () => packr.pack(value));
  }
  const got = await store(body);
  run = since(t);
  const r = performance.now();
  check(got);
  read = since(r);
} else {
  const t = performance.now();
  check(await load());
  read = since(t);
}
report({ ms: since(start), run, read, rssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...phases });
