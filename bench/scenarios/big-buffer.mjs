// A 100 MB Buffer written to and read back from the cacache store, at two levels:
// the store alone (put of bytes + metadata / get with verification), and a pipeline whose
// task returns the Buffer (bytes serializer, as the default stores a Buffer; or the v8 one, the former default).
//
// node scenarios/big-buffer.mjs <dir> <store-write|store-read|pipeline-write|pipeline-read> [bytes|v8]
import { CacacheStore, Pipeline, Task, bytesSerializer, digestBytes, silentLogger, v8Serializer } from "../lib/packages.mjs";
import { report, since } from "../lib/report.mjs";

const [dir, mode, serializerName = "bytes"] = process.argv.slice(2);
const SIZE = 100 * 1024 * 1024;
const make = () => {
  const buf = Buffer.allocUnsafe(SIZE);
  for (let i = 0; i < SIZE; i += 4096) buf.writeUInt32LE(i * 2654435761 >>> 0, i);
  return buf;
};

if (mode === "store-write") {
  const buf = make();
  const store = new CacacheStore({ dir });
  await store.open();
  const t = performance.now();
  const meta = { key: "Big", fingerprint: "f", components: { code: "", inputs: {}, upstream: {} }, digest: digestBytes(buf), size: SIZE, serializer: "bytes", createdAt: Date.now(), expiresAt: null, expiry: "never" };
  await store.put("Big", buf, meta);
  const ms = since(t);
  await store.close();
  report({ ms, mbPerS: Math.round(SIZE / 1048576 / (ms / 1000)) });
} else if (mode === "store-read") {
  const store = new CacacheStore({ dir });
  const t = performance.now();
  await store.open();
  const got = await store.get("Big");
  const ms = since(t);
  if (got?.body.byteLength !== SIZE) throw new Error("read back the wrong size");
  report({ ms, mbPerS: Math.round(SIZE / 1048576 / (ms / 1000)) });
} else {
  const serializer = serializerName === "v8" ? v8Serializer : bytesSerializer;
  const buf = mode === "pipeline-write" ? make() : undefined;
  const pipeline = new Pipeline("BigBuffer", { store: new CacacheStore({ dir }), logger: silentLogger() });
  pipeline.add(new Task("Big", { serializer, codeHash: false, run: () => buf }));
  const t = performance.now();
  let ran;
  if (mode === "pipeline-write") ran = (await pipeline.execute()).totals.executed;
  else ran = (await pipeline.getResult("Big")).byteLength === SIZE ? 1 : 0;
  const ms = since(t);
  await pipeline.close();
  if (ran !== 1) throw new Error(`${mode} went wrong`);
  report({ ms, mbPerS: Math.round(SIZE / 1048576 / (ms / 1000)) });
}
