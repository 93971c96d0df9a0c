import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EncodedResult, msgpackSerializer } from "../src/index.js";
import { newPackr } from "../src/serializers/msgpack-packr.js";
import { claimSlicedPack, packInSlices, pendingPack } from "../src/serializers/msgpack-slices.js";
import { encodeDeferring } from "../src/serializers/msgpack.js";
import { type PackFit, findUnserializable } from "../src/serializers/v8.js";

/** The check's estimate of a value's size, as the serializer makes it. */
function estimate(value: unknown): number {
  const fit: PackFit = { exact: true, bytes: 0 };
  expect(findUnserializable(value, "result", new Set(), fit)).toBeUndefined();
  return fit.bytes;
}

/** Packs in slices of about `sliceBytes`, keeping a copy of each stretch as it was when handed on. */
function sliced(value: unknown[], sliceBytes: number, room = estimate(value), limit?: number) {
  const handed: Buffer[] = [];
  const asHanded: Buffer[] = [];
  const body = packInSlices(value, room, (bytes) => (handed.push(bytes), asHanded.push(Buffer.from(bytes))), sliceBytes, limit);
  return { body, handed, asHanded };
}

// Records of a few shapes (more than the 64 record ids msgpackr cycles through, so ids are
// reused across slices), with nested arrays, objects, Maps, Dates, BigInts and Buffers.
const key = fc.constantFrom("i", "payload", "at", "tags", "n", "m", "é", "k".repeat(40), ...Array.from({ length: 70 }, (_, i) => `f${i}`));
const leaf = fc.oneof(fc.integer(), fc.double({ noNaN: true }).filter((d) => !Object.is(d, -0)), fc.string(), fc.boolean(), fc.constant(null), fc.bigInt(), fc.date({ noInvalidDate: true }));
const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("record"), tie("list"), tie("map")),
  record: fc.dictionary(key, tie("value"), { maxKeys: 5, noNullPrototype: true }),
  list: fc.array(tie("value"), { maxLength: 4 }),
  map: fc.array(fc.tuple(fc.string(), tie("value")), { maxLength: 3 }).map((entries) => new Map(entries)),
}));
const rows = fc.array(fc.oneof(nested.record, nested.value, fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a))), { minLength: 0, maxLength: 300 });

describe("packing a big array in slices", () => {
  it("gives, byte for byte, what one pack of the array gives, handed on in order, and never changed once handed on", () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 4096 }), (value, sliceBytes) => {
        const whole = Buffer.from(newPackr().pack(value));
        const { body, handed, asHanded } = sliced(value, sliceBytes);
        expect(body).toBeDefined();
        expect(Buffer.compare(body!, whole)).toBe(0);
        expect(Buffer.compare(Buffer.concat(handed), whole)).toBe(0);
        expect(Buffer.compare(Buffer.concat(asHanded), whole), "what was handed on did not change afterwards").toBe(0);
        expect(msgpackSerializer.deserialize(body!)).toEqual(value);
      }),
      { numRuns: 400, seed: 16 },
    );
  });

  it("hands on many stretches for a long array, and the same bytes as the serializer's own body", () => {
    const value = Array.from({ length: 100_000 }, (_, i) => ({ i, payload: `row ${i} ✓`, odd: i % 2 ? [i, { deep: `${i}` }] : null }));
    const { body, handed } = sliced(value, 64 * 1024);
    expect(handed.length).toBeGreaterThan(20);
    const encoded = msgpackSerializer.encode!(value) as EncodedResult;
    expect(Buffer.compare(body!, Buffer.from(encoded.body))).toBe(0);
  });

  it("reads back as the same array when msgpackr renumbers its records between slices (thousands of object shapes)", () => {
    const value = Array.from({ length: 20_000 }, (_, i) => ({ [`k${i}`]: i, [`j${i % 97}`]: "v", z: i }));
    const { body, asHanded } = sliced(value, 2000);
    expect(body).toBeDefined();
    expect(Buffer.compare(Buffer.concat(asHanded), body!)).toBe(0);
    expect(msgpackSerializer.deserialize(body!)).toEqual(value);
  });

  it("gives up (undefined) when the body would outgrow its limit, so that the array is packed whole instead", () => {
    const value = Array.from({ length: 2000 }, (_, i) => ({ i, text: "é".repeat(200) }));
    expect(sliced(value, 4096, 1000).body).toBeUndefined();
    expect(sliced(value, 4096, 1000, 100_000).body).toBeUndefined();
  });

  it("goes on in a bigger buffer when the estimate falls short (text that is not ASCII): the same bytes, and what was handed on never changes", () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 8 }), (value, sliceBytes, shortBy) => {
        const whole = Buffer.from(newPackr().pack(value));
        const { body, handed, asHanded } = sliced(value, sliceBytes, Math.floor(estimate(value) / shortBy), whole.byteLength + 16);
        expect(body).toBeDefined();
        expect(Buffer.compare(body!, whole)).toBe(0);
        expect(Buffer.compare(Buffer.concat(handed), whole)).toBe(0);
        expect(Buffer.compare(Buffer.concat(asHanded), whole), "what was handed on did not change afterwards").toBe(0);
      }),
      { numRuns: 300, seed: 17 },
    );
    const cjk = Array.from({ length: 30_000 }, (_, i) => ({ i, text: `数据管道缓存结果${i}`.repeat(4) }));
    const { body, handed } = sliced(cjk, 64 * 1024, estimate(cjk), 10 * 1024 * 1024);
    expect(handed.length).toBeGreaterThan(20);
    expect(Buffer.compare(body!, Buffer.from(newPackr().pack(cjk)))).toBe(0);
    expect(msgpackSerializer.deserialize(body!)).toEqual(cjk);
  });
});

describe("a big array's body left to pack", () => {
  const big = () => Array.from({ length: 120_000 }, (_, i) => ({ i, payload: "x".repeat(60) + i }));

  it("is packed when first read, to the serializer's bytes; a small array or a value MessagePack would change is packed at once", () => {
    const value = big();
    const later = encodeDeferring(value);
    expect(pendingPack(later)).toBeDefined();
    expect(Buffer.compare(Buffer.from(later.body), Buffer.from((msgpackSerializer.encode!(value) as EncodedResult).body))).toBe(0);
    expect(pendingPack(later)).toBeUndefined();
    expect(pendingPack(encodeDeferring([1, 2, 3]))).toBeUndefined();
    const shared = { s: "x".repeat(100) };
    const inexact = Array.from({ length: 120_000 }, () => shared);
    const encoded = encodeDeferring(inexact);
    expect(encoded.serializer).toBe("v8");
    expect(pendingPack(encoded)).toBeUndefined();
  });

  it("is packed as checked when read in the stretch it was checked in; past it, it is refused, never packed from what the value became", async () => {
    const value = big();
    const now = encodeDeferring(value);
    const expected = Buffer.from((msgpackSerializer.encode!(value) as EncodedResult).body);
    expect(Buffer.compare(Buffer.from(now.body), expected)).toBe(0);
    const later = encodeDeferring(value);
    await Promise.resolve();
    expect(pendingPack(later)).toBeUndefined();
    expect(claimSlicedPack(later)).toBeUndefined();
    value.push({ i: -1, payload: "added later" });
    expect(() => later.body).toThrow(/not packed before the task's code could change it/);
  });

  it("is taken by one save only, and packed whole when the save cannot slice it", () => {
    const value = big();
    const later = encodeDeferring(value);
    const pack = claimSlicedPack(later)!;
    expect(pack).toBeDefined();
    expect(claimSlicedPack(later)).toBeUndefined();
    expect(msgpackSerializer.deserialize(later.body)).toEqual(value);
    expect(pack.inSlices(() => {})).toBeUndefined();
  });
});
