// Where a big-result scenario's time goes, measured in its process: loaded before it with
//
//   LP_PHASES_OUT=<file> node --import ./bench/lib/phase-probe.mjs bench/scenarios/data.mjs records write-read <home>
//
// it wraps public entry points of the built packages (Pipeline's `add`, `execute` and
// `getResult`; the default serializer's `encode` and `deserialize`; msgpackr's `pack`, through
// a subclass core then makes its packers from; the cacache store's `putHashing`, and its
// `openBody` with the sink's `append` and `finish`) and the big writes to files (file handles'
// `write`, `fs.write`), timing each call, and collects the garbage collections
// (`PerformanceObserver`, "gc" entries) by the phase they fall in. At exit it writes one JSON
// object to LP_PHASES_OUT: each span's start (ms from the process's start) and length, and a
// breakdown of the run in the order it happens. Core is not changed: the wrappers call
// through. msgpackr is loaded here, at start, rather than on the first pack (10–16 ms moved
// from the run to start-up).
import { writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { PerformanceObserver } from "node:perf_hooks";

const MIB = 1024 * 1024;
// The sink's positional writes (`fs.write` with a callback, on libuv's threads); wrapped before
// the packages are imported, as they take `write` from `node:fs` when loaded.
const fs = createRequire(import.meta.url)("node:fs");
const fsWrite = fs.write;
fs.write = function (fd, buffer, ...rest) {
  const callback = rest.at(-1);
  if (typeof callback !== "function" || !(buffer?.byteLength >= MIB)) return fsWrite.call(this, fd, buffer, ...rest);
  const start = performance.now();
  return fsWrite.call(this, fd, buffer, ...rest.slice(0, -1), (...result) => {
    span("fs.write", start);
    callback(...result);
  });
};
syncBuiltinESMExports();

const root = new URL("../../packages/", import.meta.url);
const core = await import(new URL("core/dist/index.js", root));
const { Pipeline, CacacheStore } = await import(new URL("little-pipelines/dist/index.js", root));
const msgpackr = createRequire(new URL("core/dist/index.js", root))("msgpackr");

// Writes at least this big are the body's (the journal's and logs' are far smaller).
const BIG_WRITE = 8 * 1024 * 1024;

/** Each timed span: name, start and end (ms since the process's start). */
const spans = [];
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration, kind: e.detail?.kind });
}).observe({ entryTypes: ["gc"] });

const span = (name, start, end = performance.now()) => spans.push({ name, start, end });

/** Replaces `owner[key]` by a function that times each call (to its promise's settling, if it returns one). */
function timeCalls(owner, key, name, keep = () => true) {
  const original = owner[key];
  owner[key] = function (...args) {
    if (!keep(args)) return original.apply(this, args);
    const start = performance.now();
    const result = original.apply(this, args);
    if (result && typeof result.then === "function") {
      return result.finally(() => span(name, start));
    }
    span(name, start);
    return result;
  };
}

let firstAdd;
const add = Pipeline.prototype.add;
Pipeline.prototype.add = function (...args) {
  firstAdd ??= performance.now();
  return add.apply(this, args);
};
timeCalls(Pipeline.prototype, "execute", "execute");
timeCalls(Pipeline.prototype, "getResult", "getResult");
timeCalls(core.msgpackSerializer, "encode", "encode");
timeCalls(core.msgpackSerializer, "deserialize", "decode");
// A Packr sets its `pack` on itself when made: core's (made on first use) is made from this subclass.
msgpackr.Packr = class TimedPackr extends msgpackr.Packr {
  constructor(...args) {
    super(...args);
    timeCalls(this, "pack", "pack");
    this.encode = this.pack;
  }
};

// The store's put of a big body: from the call to the digest it tells (the body hashed, while
// the write runs), and to its settling (the body durable, renamed, folders synced).
const putHashing = CacacheStore.prototype.putHashing;
CacacheStore.prototype.putHashing = function (key, body, told, ...rest) {
  const start = performance.now();
  const tell = (digest) => {
    span("put: until the digest is told", start);
    return told(digest);
  };
  return putHashing.call(this, key, body, tell, ...rest).finally(() => span("put: until durable", start));
};

// A big array packed by its save in slices, each appended to a sink that hashes it and
// submits its write (`openBody`): the sink's `append` calls and its `finish`, up to the digest
// it tells and up to its settling.
const openBody = CacacheStore.prototype.openBody;
if (openBody) {
  CacacheStore.prototype.openBody = function (...args) {
    const start = performance.now();
    const sink = openBody.apply(this, args);
    span("openBody", start);
    if (!sink) return sink;
    return {
      ...sink,
      append(bytes) {
        const t = performance.now();
        sink.append(bytes);
        span("sink: append", t);
      },
      finish(metaFor, ...rest) {
        const t = performance.now();
        const tell = (digest) => {
          span("finish: until the digest is told", t);
          return metaFor(digest);
        };
        return sink.finish(tell, ...rest).finally(() => span("finish: until durable", t));
      },
    };
  };
}

const handle = await open(new URL(import.meta.url), "r");
const FileHandle = Object.getPrototypeOf(handle);
await handle.close();
timeCalls(FileHandle, "write", "write (one big write, on libuv's thread)", (args) => (args[2] ?? args[0]?.byteLength ?? 0) >= BIG_WRITE);

process.on("exit", () => {
  const exit = performance.now();
  const phases = spans.map(({ name, start, end }) => {
    const inside = gcs.filter((g) => g.start >= start && g.start < end);
    return {
      name,
      start: round(start),
      ms: round(end - start),
      gcMs: round(inside.reduce((a, g) => a + g.end - g.start, 0)),
      gcs: inside.length,
    };
  });
  const gcMs = (from, to) => round(gcs.filter((g) => g.start >= from && g.start < to).reduce((a, g) => a + g.end - g.start, 0));
  const execute = spans.find((s) => s.name === "execute");
  const summary = {
    importsDone: round(firstAdd),
    valuesBuilt: execute && round(execute.start),
    gcWhileBuilding: execute && gcMs(firstAdd, execute.start),
    exit: round(exit),
    gcTotal: gcMs(0, exit),
    phases,
  };
  summary.breakdown = breakdown(exit);
  const out = process.env.LP_PHASES_OUT;
  if (out) writeFileSync(out, `${JSON.stringify(summary)}\n`);
});

/**
 * The run's phases in the order they happen, each with its length and the collections in it
 * (ms). The write runs on libuv's thread from its start: the sha256 and the read-ahead decode
 * overlap it, and "waited for the disk" is what is left of it after them.
 */
function breakdown(exit) {
  const find = (name) => spans.find((s) => s.name === name);
  const gcIn = (from, to) => round(gcs.filter((g) => g.start >= from && g.start < to).reduce((a, g) => a + g.end - g.start, 0));
  const part = (name, from, to) =>
    from === undefined || to === undefined ? undefined : { name, ms: round(to - from), gcMs: gcIn(from, to) };
  const [execute, encode, pack, told, durable, write, getResult] = [
    "execute",
    "encode",
    "pack",
    "put: until the digest is told",
    "put: until durable",
    "write (one big write, on libuv's thread)",
    "getResult",
  ].map(find);
  // The read-ahead decode: the decode that starts while the put is under way.
  const decode = spans.find((s) => s.name === "decode" && durable && s.start >= durable.start && s.start < durable.end);
  const opened = find("openBody");
  const finish = find("finish: until durable");
  if (execute && opened && finish) return slicedBreakdown(execute, opened, finish, getResult, exit, part, gcIn);
  if (!execute || !encode || !durable) return [];
  const parts = [
    part("start-up and imports", 0, firstAdd),
    part("the scenario builds its values", firstAdd, execute.start),
    part("run, before the serializer", execute.start, encode.start),
    part("check walk (encode less the pack)", encode.start, pack?.start ?? encode.end),
    pack && part("msgpackr pack", pack.start, pack.end),
    part("encode to put", encode.end, durable.start),
    ...(write && told && write.start < told.end
      ? [
          part("put: folder, temporary file opened", durable.start, write.start),
          part("put: sha256 while the write runs, until the digest is told", write.start, told.end),
        ]
      : [part("put: until the digest is told", durable.start, told?.end)]),
    told && part("after the digest, until the read-ahead decode", told.end, decode?.start ?? told.end),
    decode && part("read-ahead decode (while the disk writes)", decode.start, decode.end),
    part("waited for the disk, rename, folder syncs", decode?.end ?? told?.end ?? durable.start, durable.end),
    part("run, after the put", durable.end, execute.end),
    getResult && part("getResult()", getResult.start, getResult.end),
    part("close and exit", getResult?.end ?? execute.end, exit),
  ].filter(Boolean);
  if (write)
    parts.push({
      name: "(overlapping) the body's write on libuv's thread",
      ms: round(write.end - write.start),
      gcMs: gcIn(write.start, write.end),
    });
  return parts;
}

/** The phases of a big array packed by its save in slices, each appended to the store's sink as it is packed. */
function slicedBreakdown(execute, opened, finish, getResult, exit, part, gcIn) {
  const told = spans.find((s) => s.name === "finish: until the digest is told");
  const decode = spans.find((s) => s.name === "decode" && s.start >= finish.start && s.start < finish.end);
  const within = (name, from, to) => spans.filter((s) => s.name === name && s.start >= from && s.start < to);
  const sum = (list) => round(list.reduce((a, s) => a + s.end - s.start, 0));
  const packs = within("pack", opened.start, finish.start);
  const appends = within("sink: append", opened.start, finish.start);
  const writes = within("fs.write", opened.start, finish.end);
  const parts = [
    part("start-up and imports", 0, firstAdd),
    part("the scenario builds its values", firstAdd, execute.start),
    part("run, until the body is opened (fingerprint, decision, check walk)", execute.start, opened.start),
    part(`pack in ${packs.length} slices, each appended as it is packed`, opened.start, finish.start),
    { name: "  of it, msgpackr's pack", ms: sum(packs), gcMs: round(packs.reduce((a, s) => a + gcIn(s.start, s.end), 0)) },
    {
      name: "  of it, the sink's append (sha256, write submitted)",
      ms: sum(appends),
      gcMs: round(appends.reduce((a, s) => a + gcIn(s.start, s.end), 0)),
    },
    {
      name: "  the rest of it (between the slices)",
      ms: round(finish.start - opened.start - sum(packs) - sum(appends)),
      gcMs: round(
        gcIn(opened.start, finish.start) -
          packs.reduce((a, s) => a + gcIn(s.start, s.end), 0) -
          appends.reduce((a, s) => a + gcIn(s.start, s.end), 0),
      ),
    },
    told && part("finish: until the digest is told", finish.start, told.end),
    told && decode && part("after the digest, until the read-ahead decode", told.end, decode.start),
    decode && part("read-ahead decode (while the disk writes)", decode.start, decode.end),
    part("waited for the disk, rename, folder syncs, journal", decode?.end ?? told?.end ?? finish.start, finish.end),
    part("run, after the save", finish.end, execute.end),
    getResult && part("getResult()", getResult.start, getResult.end),
    part("close and exit", getResult?.end ?? execute.end, exit),
  ].filter(Boolean);
  if (writes.length > 0) {
    const from = Math.min(...writes.map((w) => w.start));
    const to = Math.max(...writes.map((w) => w.end));
    parts.push({
      name: `(overlapping) the body's ${writes.length} writes on libuv's threads, first start to last end`,
      ms: round(to - from),
      gcMs: gcIn(from, to),
    });
  }
  return parts;
}

const round = (ms) => (ms === undefined ? undefined : Math.round(ms * 10) / 10);
