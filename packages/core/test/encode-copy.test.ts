import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EncodedResult, msgpackSerializer, v8Serializer } from "../src/index.js";
import { same } from "./fixtures/same-value.js";

// Asked for a copy, the default serializer builds one while it checks the value and packs
// that copy: the copy is what reading the body back gives, and shares no object with the value.

const encode = (value: unknown, copy?: boolean) => msgpackSerializer.encode!(value, copy === undefined ? undefined : { copy }) as EncodedResult;

/** Every object inside `value`, itself included. */
function objectsOf(value: unknown, found = new Set<object>()): Set<object> {
  if (value === null || typeof value !== "object" || found.has(value)) return found;
  found.add(value);
  for (const v of Object.values(value)) objectsOf(v, found);
  return found;
}

function expectSound(value: unknown, encoded: EncodedResult): void {
  if (!encoded.copy) return;
  expect(encoded.serializer).toBe("msgpack");
  expect(same(encoded.copy.value, msgpackSerializer.deserialize(encoded.body)), "the copy is what the body reads back as").toBe(true);
  const mine = objectsOf(value);
  for (const o of objectsOf(encoded.copy.value)) expect(mine.has(o), "the copy shares no object with the value").toBe(false);
}

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) });
// Plain data: what gets a copy.
const plain = fc.anything({
  key: fc.oneof(fc.string(), fc.constantFrom("0", "1", "10", "-1", "constructor", "then")),
  values: [fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.string({ unit: "grapheme" }), fc.constant(undefined), fc.constant(null), fc.bigInt()],
  maxDepth: 4,
});
// Everything else, mixed in: no copy, or a sound one.
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
  values: [fc.integer(), fc.double(), fc.string(), loneSurrogates, fc.constant(-0), fc.constant(undefined), fc.uint8Array().map((a) => Buffer.from(a))],
  maxDepth: 4,
});

function refusal(serialize: () => unknown): string | undefined {
  try {
    serialize();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

describe("a copy made while encoding", () => {
  it("of plain data (objects, arrays, primitives) is always given, reads back from the body as it is, and packs to the same bytes", () => {
    fc.assert(
      fc.property(plain, (value) => {
        const encoded = encode(value, true);
        const exact = refusal(() => v8Serializer.serialize(value)) === undefined && encode(value).serializer === "msgpack";
        if (!exact) return;
        expect(encoded.copy, "plain data that MessagePack carries gets a copy").toBeDefined();
        expectSound(value, encoded);
        expect(Buffer.compare(Buffer.from(encoded.body), Buffer.from(encode(value).body))).toBe(0);
      }),
      { numRuns: 2000, seed: 16 },
    );
  });

  it("of anything else is left out or sound, and refusals and the format chosen stay as without it", () => {
    let copies = 0;
    fc.assert(
      fc.property(fc.oneof(anything, plain), (value) => {
        const without = refusal(() => encode(value));
        expect(refusal(() => encode(value, true))).toBe(without);
        if (without !== undefined) return;
        const encoded = encode(value, true);
        expect(encoded.serializer).toBe(encode(value).serializer);
        if (encoded.copy) copies++;
        expectSound(value, encoded);
      }),
      { numRuns: 3000, seed: 61 },
    );
    expect(copies).toBeGreaterThan(300);
  });

  it("is not made unless asked for", () => {
    expect(encode([{ i: 1 }]).copy).toBeUndefined();
    expect(encode([{ i: 1 }], false).copy).toBeUndefined();
    expect(encode([{ i: 1 }], true).copy?.value).toEqual([{ i: 1 }]);
  });

  it("of a primitive is the primitive itself", () => {
    const long = "z".repeat(100_000);
    for (const value of [long, 1.5, null, undefined, true, 2n ** 70n]) {
      const encoded = encode(value, true);
      expect(Object.is(encoded.copy?.value, value)).toBe(true);
      expect(Object.is(msgpackSerializer.deserialize(encoded.body), value) || typeof value === "bigint").toBe(true);
    }
  });

  it("reads a getter once: the bytes and the copy hold the same answer, and the value is not changed", () => {
    let reads = 0;
    const row = {
      i: 1,
      get n() {
        return { read: ++reads };
      },
    };
    const value = { rows: [row, { i: 2 }] };
    const encoded = encode(value, true);
    expect(reads).toBe(1);
    expect(encoded.copy?.value).toEqual({ rows: [{ i: 1, n: { read: 1 } }, { i: 2 }] });
    expect(msgpackSerializer.deserialize(encoded.body)).toEqual(encoded.copy?.value);
    expect(Object.getOwnPropertyDescriptor(row, "n")?.get).toBeTypeOf("function");
  });

  it("reads a Proxy once per property: the bytes and the copy agree", () => {
    let reads = 0;
    const target = { a: 0, b: 0, list: [1, 2] };
    const counted = new Proxy(target, {
      get: (t, key) => (key === "a" || key === "b" ? ++reads : Reflect.get(t, key)),
    });
    const list = new Proxy([10, 20, 30], { get: (t, key) => (key === "1" ? ++reads * 100 : Reflect.get(t, key)) });
    const encoded = encode({ counted, list }, true);
    const back = msgpackSerializer.deserialize(encoded.body);
    expect(back).toEqual(encoded.copy?.value);
    expect(back).toEqual({ counted: { a: 1, b: 2, list: [1, 2] }, list: [10, 300, 30] });
  });

  it("is not given for shared or circular data, which is stored by the v8 serializer as before", () => {
    const shared = { k: 1 };
    const twice = { a: shared, b: [shared] };
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    for (const value of [twice, circular, { n: -0 }, { s: "a\ud800" }, Object.assign(new Array(3), { 0: 1, 2: 3 })]) {
      const encoded = encode(value, true);
      expect(encoded.serializer).toBe("v8");
      expect(encoded.copy).toBeUndefined();
      expect(same(value, v8Serializer.deserialize(encoded.body))).toBe(true);
    }
  });

  it("is not given when other kinds are inside (a Date, Map, Set, Buffer, typed array)", () => {
    for (const inside of [new Date(0), new Map([[1, 2]]), new Set([1]), Buffer.from("b"), new Float32Array(2), /re/g]) {
      const encoded = encode({ rows: [{ i: 1 }], inside }, true);
      expect(encoded.serializer).toBe("msgpack");
      expect(encoded.copy).toBeUndefined();
    }
  });

  it("refuses with the same message, naming the same path", () => {
    expect(refusal(() => encode({ rows: [{ ok: 1 }, { ok: 2, [Symbol("k")]: 3 }] }, true))).toBe(
      "result.rows[1] has the symbol key Symbol(k), which is not stored; use a string key",
    );
    expect(refusal(() => encode([{ a: { b: () => 1 } }], true))).toBe("result[0].a.b is a function");
    expect(refusal(() => encode({ rows: [{ at: Object.setPrototypeOf({}, Date.prototype) }] }, true))).toBe(
      "result.rows[0].at has the prototype of Date but is not a Date, so it would come back as a plain object; store a real Date or a plain object",
    );
  });
});

// Records of a shape met often are copied by an object literal compiled for that shape
// (serializers/plain-copy.ts); rare shapes, and shapes past those remembered, by a spread.
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("0", "1", "7", "10", "-1", "a", "b", "constructor", "toString", "\u2028", '"', "\\"));
const shapes = fc.array(fc.uniqueArray(key, { maxLength: 8 }), { minLength: 1, maxLength: 24 });
const manyRecords = fc.tuple(shapes, fc.integer({ min: 1, max: 400 }), fc.boolean()).map(([keys, count, nested]) =>
  Array.from({ length: count }, (_, i) => {
    const row: Record<string, unknown> = {};
    for (const [j, k] of keys[i % keys.length]!.entries()) row[k] = j % 3 === 0 ? `${k}${i}` : i * j;
    if (nested) row.inner = { n: i, tags: [i, "t"], deeper: { ok: i % 2 === 0 } };
    return row;
  }),
);

describe("copies of many records", () => {
  it("of many shapes, met often or seldom, in turn or nested, keep every key in order and read back from the body as they are", () => {
    fc.assert(
      fc.property(manyRecords, (rows) => {
        const encoded = encode(rows, true);
        expect(encoded.copy).toBeDefined();
        expectSound(rows, encoded);
        const copy = encoded.copy!.value as Record<string, unknown>[];
        for (const [i, row] of rows.entries()) expect(Object.keys(copy[i]!)).toEqual(Object.keys(row));
      }),
      { numRuns: 300, seed: 1616 },
    );
  });

  it("read a getter or a Proxy once also once its shape is common", () => {
    let reads = 0;
    const rows: Record<string, unknown>[] = Array.from({ length: 500 }, (_, i) => ({ i, s: "v" }));
    Object.defineProperty(rows[300], "s", { enumerable: true, get: () => `read ${++reads}` });
    rows[400] = new Proxy({ i: 400, s: "v" }, { get: (t, k) => (k === "s" ? `proxied ${++reads}` : Reflect.get(t, k)) });
    const encoded = encode(rows, true);
    expect(reads).toBe(2);
    const back = msgpackSerializer.deserialize(encoded.body) as Record<string, unknown>[];
    expect(back).toEqual(encoded.copy?.value);
    expect(back[300]).toEqual({ i: 300, s: "read 1" });
    expect(back[400]).toEqual({ i: 400, s: "proxied 2" });
  });

  it("are made by spreads where code cannot be generated from strings", () => {
    const core = pathToFileURL(join(import.meta.dirname, "..", "dist", "index.js")).href;
    const script = `import { msgpackSerializer } from ${JSON.stringify(core)};
const rows = Array.from({ length: 1000 }, (_, i) => ({ i, payload: "p" + i, inner: { k: i } }));
const { body, copy } = msgpackSerializer.encode(rows, { copy: true });
console.log(JSON.stringify({ copied: copy.value !== rows && copy.value[999].inner !== rows[999].inner, same: JSON.stringify(copy.value) === JSON.stringify(msgpackSerializer.deserialize(body)) && JSON.stringify(copy.value) === JSON.stringify(rows) }));`;
    const run = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout.trim())).toEqual({ copied: true, same: true });
  });
});
