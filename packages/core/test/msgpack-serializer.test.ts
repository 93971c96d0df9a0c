import fc from "fast-check";
import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { type EncodedResult, MemoryStore, msgpackSerializer, task, v8Serializer } from "../src/index.js";
import { packPrimitive, unpackPrimitive } from "../src/serializers/msgpack-primitive.js";
import { same } from "./fixtures/same-value.js";
import { quietPipeline } from "./helpers.js";

const encode = (value: unknown) => msgpackSerializer.encode!(value) as EncodedResult;

/** What the value reads back as, through the format the serializer picked. */
function roundTrip(value: unknown): { back: unknown; serializer: string } {
  const { body, serializer } = encode(value);
  const reader = serializer === "msgpack" ? msgpackSerializer : serializer === "v8" ? v8Serializer : undefined;
  const back = reader ? reader.deserialize(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return { back, serializer };
}

function expectExact(back: unknown, value: unknown): void {
  expect(same(value, back), "reads back exactly as it was").toBe(true);
}

function refusal(serialize: () => unknown): string | undefined {
  try {
    serialize();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) });
const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: true,
  key: fc.oneof(fc.string(), loneSurrogates, fc.constant("__proto__")),
  values: [
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.string(),
    loneSurrogates,
    fc.constant(-0),
    fc.constant(undefined),
    fc.constant(null),
    fc.uint8Array().map((a) => Buffer.from(a)),
    fc.string().map((m) => new RangeError(m)),
  ],
  maxDepth: 4,
});
const records = fc.array(fc.record({ i: fc.integer(), payload: fc.string(), at: fc.date(), tags: fc.array(fc.string()) }), { maxLength: 40 });

describe("the msgpack serializer (the default)", () => {
  it("round-trips exactly every value the v8 serializer keeps, and refuses the same values with the same message", () => {
    const formats = new Map<string, number>();
    fc.assert(
      fc.property(fc.oneof(anything, records), (value) => {
        const v8Refusal = refusal(() => v8Serializer.serialize(value));
        expect(refusal(() => encode(value))).toBe(v8Refusal);
        if (v8Refusal !== undefined) return;
        const { back, serializer } = roundTrip(value);
        expectExact(back, value);
        formats.set(serializer, (formats.get(serializer) ?? 0) + 1);
      }),
      { numRuns: 3000 },
    );
    // Most values take the fast path; the rest prove the fallback.
    expect(formats.get("msgpack")).toBeGreaterThan(500);
    expect(formats.get("v8")).toBeGreaterThan(100);
  });

  it("writes plain data as MessagePack: records, Map, Set, Date, BigInt of any size, typed arrays, undefined vs missing, NaN", () => {
    const value = {
      rows: Array.from({ length: 50 }, (_, i) => ({ i, payload: `x${i}`, maybe: i % 2 ? undefined : null })),
      m: new Map<unknown, unknown>([[{ k: 1 }, new Set([1n, -(2n ** 100n)])]]),
      at: new Date(86_400_000),
      never: new Date(Number.NaN),
      f: new Float64Array([1.5, -0, Number.NaN]),
      u16: new Uint16Array(new ArrayBuffer(16), 4, 2),
      u8: new Uint8Array([1, 2, 3]),
      b: Buffer.from("inside"),
      n: [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, 0.1],
      re: /a+b/giu,
      dv: new DataView(new ArrayBuffer(3)),
    };
    const { back, serializer } = roundTrip(value);
    expect(serializer).toBe("msgpack");
    expectExact(back, value);
    expect(Object.keys((back as typeof value).rows[1]!)).toEqual(["i", "payload", "maybe"]);
  });

  it.each([
    ["a circular reference", (() => { const o: Record<string, unknown> = { a: 1 }; o.self = o; return o; })()],
    ["a value reached twice", (() => { const shared = { k: 1 }; return { a: shared, b: [shared] }; })()],
    ["-0", { x: [1, -0] }],
    ["an array hole", { x: Object.assign(new Array(3), { 0: 1, 2: 3 }) }],
    ["a named property on an array", { x: Object.assign([1, 2], { note: "n" }) }],
    ["a hole beside a named property, as many properties as the length", { x: Object.assign(new Array(3), { 0: 1, 2: 3, note: "n" }) }],
    ["a lone surrogate", { s: "a\ud800b" }],
    ["an error", { e: new TypeError("bad", { cause: { why: 1 } }) }],
    ["a boxed primitive", { n: Object(5) as unknown }],
    ["an own __proto__ key", JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as unknown],
  ])("falls back to the v8 format for %s, and keeps it exactly", (_what, value) => {
    const { back, serializer } = roundTrip(value);
    expect(serializer).toBe("v8");
    expectExact(back, value);
  });

  it("stores a Buffer as its own bytes, without a copy", () => {
    const big = Buffer.alloc(1 << 20, 7);
    const { body, serializer } = encode(big);
    expect(serializer).toBe("bytes");
    expect(body).toBe(big);
  });

  it("gives a small result a buffer of its own, and a Buffer inside a value is copied out when read", () => {
    const body = encode({ b: Buffer.from("hello") }).body;
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(body.byteLength);
    const back = msgpackSerializer.deserialize(body) as { b: Buffer };
    back.b[0] = 0;
    expect((msgpackSerializer.deserialize(body) as { b: Buffer }).b.toString()).toBe("hello");
  });

  it("a big result gets a buffer of its own, and what is packed after it is still whole", () => {
    const long = "y".repeat(200);
    const big = encode(Array.from({ length: 2000 }, (_, i) => ({ i, long }))).body;
    const small = encode({ long }).body;
    expect(big.byteLength).toBeGreaterThan(64 * 1024);
    expect(msgpackSerializer.deserialize(small)).toEqual({ long });
    expect((msgpackSerializer.deserialize(big) as unknown[])[1999]).toEqual({ i: 1999, long });
    expect(small.buffer).not.toBe(big.buffer);
  });

  it("names the path of what it refuses", () => {
    expect(refusal(() => encode({ rows: [{ f: () => 1 }] }))).toBe("result.rows[0].f is a function");
    expect(refusal(() => encode(new Map([["k", Object.create(null) as object]])))).toContain("result.get(k) has no prototype");
    expect(refusal(() => encode({ rows: [{ s: Symbol("v") }] }))).toBe("result.rows[0].s is a symbol");
    expect(refusal(() => encode({ rows: [{ ok: 1, [Symbol("k")]: 2 }] }))).toBe("result.rows[0] has the symbol key Symbol(k), which is not stored; use a string key");
  });

  it("finds one record reached twice among many, and keeps it one object", () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ i, payload: `${"x".repeat(20)}${i}` }));
    rows.push(rows[50_000]!);
    const { back, serializer } = roundTrip(rows);
    expect(serializer).toBe("v8");
    const got = back as typeof rows;
    expect(got).toHaveLength(100_001);
    expect(got[100_000]).toBe(got[50_000]);
    expect(got[99_999]).toEqual({ i: 99_999, payload: `${"x".repeat(20)}99999` });
  });

  it("packs many records built by concatenation, as a task makes them, and reads them back", () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ i, payload: "x".repeat(80) + i, ok: i % 3 === 0 }));
    const { back, serializer } = roundTrip(rows);
    expect(serializer).toBe("msgpack");
    expect(back).toEqual(rows);
  });
});

describe("a result that is one primitive", () => {
  // The default's own options: a body written either way must read back either way.
  const msgpackr = new Packr({ useRecords: true, mapsAsObjects: false, moreTypes: true, int64AsType: "bigint", useBigIntExtension: true, copyBuffers: true });
  const edges = [0, 0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, -1, -0x20, -0x21, -0x80, -0x81, -0x8000, -0x8001, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE];
  const strings = ["", "a", "x".repeat(31), "x".repeat(32), "x".repeat(255), "x".repeat(256), "é".repeat(40_000), "€😀"];
  const primitive = fc.oneof(fc.integer(), fc.double().filter((d) => !Object.is(d, -0)), fc.constantFrom(...edges), fc.string({ unit: "binary" }), fc.string({ maxLength: 300, unit: "grapheme" }), fc.constantFrom(...strings), fc.boolean(), fc.constant(null), fc.constant(undefined));

  it("is written byte for byte as msgpackr writes it, and each reads the other's bytes", () => {
    fc.assert(
      fc.property(primitive, (value) => {
        const mine = packPrimitive(value)!;
        const theirs = msgpackr.pack(value);
        expect(Buffer.compare(mine, theirs), `bytes of ${String(value)}`).toBe(0);
        expect(Object.is(unpackPrimitive(theirs)!.value, msgpackr.unpack(theirs))).toBe(true);
        expect(Object.is(msgpackSerializer.deserialize(mine), value)).toBe(true);
        expect((encode(value) as EncodedResult).serializer).toBe("msgpack");
      }),
      { numRuns: 3000 },
    );
  });

  it("leaves to msgpackr or the v8 format what it does not write: -0, lone surrogates, BigInt", () => {
    for (const value of [-0, "a\ud800", 1n, 2n ** 70n]) expect(packPrimitive(value), String(value)).toBeUndefined();
    for (const value of [-0, "a\ud800", 1n, 2n ** 70n]) expect(Object.is(roundTrip(value).back, value), String(value)).toBe(true);
    expect(roundTrip(-0).serializer).toBe("v8");
  });

  it("reads only a whole body holding one primitive, and leaves any other to msgpackr", () => {
    for (const value of [{ a: 1 }, [1, 2], new Map([[1, 2]]), 1n, new Date(0)]) expect(unpackPrimitive(msgpackr.pack(value))).toBeUndefined();
    expect(unpackPrimitive(Buffer.from([0x05, 0x06]))).toBeUndefined();
    expect(unpackPrimitive(Buffer.from([0xa3, 0x61]))).toBeUndefined();
    expect(unpackPrimitive(Buffer.from([0xcd, 0x01]))).toBeUndefined();
    expect(unpackPrimitive(Buffer.alloc(0))).toBeUndefined();
  });

  it("gives each body its own memory", () => {
    for (const value of [1, 300, -70_000, 0.25, "short", true, null, undefined]) {
      const body = packPrimitive(value)!;
      expect(body.byteOffset).toBe(0);
      expect(body.buffer.byteLength).toBe(body.byteLength);
    }
  });
});

describe("stored results keep their format", () => {
  it("a result stored by the v8 serializer (the former default) stays fresh and readable by tasks and getResult", async () => {
    const store = new MemoryStore();
    const value = { rows: [{ i: 1, at: new Date(0) }], m: new Map([["k", 1n]]) };
    const before = quietPipeline("Upgrade", { store }).pipeline;
    before.add(task("Data", { codeHash: false, serializer: v8Serializer, run: () => value }));
    await before.execute();
    expect((await store.getMeta("Data"))?.serializer).toBe("v8");

    const { pipeline } = quietPipeline("Upgrade", { store });
    let seen: unknown;
    const data = task("Data", { codeHash: false, run: () => ({ recomputed: true }) });
    pipeline.add(data, task("Use", { dependencies: [data], codeHash: false, run: async function () { seen = await this.result(data); return 1; } }));
    const summary = await pipeline.execute();
    expect(summary.tasks.find((t) => t.name === "Data")?.state).toBe("cached");
    expectExact(seen, value);
    expectExact(await pipeline.getResult(data), value);
    expect((await store.getMeta("Use"))?.serializer).toBe("msgpack");
  });

  it("in a run, each format is recorded with its result and read back by dependents", async () => {
    const store = new MemoryStore();
    const { pipeline } = quietPipeline("Formats", { store });
    const circular: Record<string, unknown> = { n: 1 };
    circular.self = circular;
    const plain = task("Plain", { run: () => ({ rows: [{ i: 1 }], s: new Set(["a"]) }) });
    const bytes = task("Bytes", { run: () => Buffer.from("raw bytes") });
    const loop = task("Loop", { run: () => circular });
    const read: Record<string, unknown> = {};
    pipeline.add(
      plain,
      bytes,
      loop,
      task("All", {
        dependencies: [plain, bytes, loop],
        run: async function () {
          for (const t of [plain, bytes, loop]) read[t.name] = await this.result(t as never);
          return Object.keys(read).length;
        },
      }),
    );
    await pipeline.execute();
    expect((await store.getMeta("Plain"))?.serializer).toBe("msgpack");
    expect((await store.getMeta("Bytes"))?.serializer).toBe("bytes");
    expect((await store.getMeta("Loop"))?.serializer).toBe("v8");
    expect(read.Bytes).toEqual(Buffer.from("raw bytes"));
    expect((read.Loop as typeof circular).self).toBe(read.Loop);
    expectExact(await pipeline.getResult(plain), { rows: [{ i: 1 }], s: new Set(["a"]) });
    expectExact(await pipeline.getResult(loop), circular);
  });
});
