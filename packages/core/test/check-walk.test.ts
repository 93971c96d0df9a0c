import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PackFit, findUnserializable } from "../src/serializers/v8.js";
import { referenceWalk } from "./fixtures/reference-walk.js";

/** What the serializers' walk answers: the refusal, and (when there is none) whether MessagePack carries the value exactly. */
function fastWalk(value: unknown): { problem: string | undefined; exact: boolean } {
  const fit: PackFit = { exact: true, bytes: 0 };
  const problem = findUnserializable(value, "result", new Set(), fit);
  return { problem, exact: fit.exact };
}

function expectAgreement(value: unknown): void {
  const mine = fastWalk(value);
  const reference = referenceWalk(value);
  expect(mine.problem).toBe(reference.problem);
  if (reference.problem === undefined) expect(mine.exact).toBe(reference.exact);
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
  key: fc.oneof(fc.string(), loneSurrogates, fc.constant("__proto__"), fc.constantFrom("0", "1", "10", "-1")),
  values: [fc.integer(), fc.double(), fc.string(), loneSurrogates, fc.constant(-0), fc.constant(undefined), fc.constant(null)],
  maxDepth: 4,
});

// Values made afresh each time (each owns its objects), on the edges of the plain cases the
// walk takes shortcuts for: prototypes swapped between plain kinds, symbol and hidden keys,
// shared and circular objects, and everything it refuses.
const oddities: (() => unknown)[] = [
  () => ({ a: 1, [Symbol("k")]: 2 }),
  () => Object.defineProperty({ a: 1 }, Symbol("hidden"), { value: 1, enumerable: false }),
  () => Object.defineProperty({ a: 1 }, "hidden", { value: () => 1, enumerable: false }),
  () => Object.assign([1, 2], { [Symbol("s")]: 1 }),
  () => Object.assign([1, 2], { note: "n" }),
  () => Object.setPrototypeOf([1, "a", { b: 2 }], Object.prototype),
  () => Object.setPrototypeOf({ a: 1, 0: "x" }, Array.prototype),
  () => Object.setPrototypeOf(new Map([[1, 2]]), Object.prototype),
  () => Object.setPrototypeOf(new Uint8Array([1, 2]), Object.prototype),
  () => Object.setPrototypeOf({ a: 1 }, Map.prototype),
  () => Object.setPrototypeOf({ a: 1 }, Set.prototype),
  () => Object.setPrototypeOf({ a: 1 }, Date.prototype),
  () => Object.setPrototypeOf({ a: 1 }, RegExp.prototype),
  () => Object.setPrototypeOf({ a: 1 }, ArrayBuffer.prototype),
  () => Object.setPrototypeOf({ a: 1 }, DataView.prototype),
  () => Object.setPrototypeOf({ a: 1 }, Buffer.prototype),
  () => Object.setPrototypeOf({ a: 1 }, Number.prototype),
  () => Object.setPrototypeOf({ message: "m" }, Error.prototype),
  () => Object.setPrototypeOf([1, { b: 2 }], Map.prototype),
  () => Object.setPrototypeOf(new Set([1]), Map.prototype),
  () => Object.setPrototypeOf(new Date(0), Object.prototype),
  () => new (class Bytes extends Uint16Array {})(2),
  () =>
    new (class Point {
      x = 1;
    })(),
  () => {
    const shared = { s: 1 };
    return [shared, { shared }];
  },
  () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return o;
  },
  () => ({ f() {} }),
  () => [1, () => 2],
  () => ({ s: Symbol("v") }),
  () => Object.assign(new Error("m"), { code: "E" }),
  () => new (class Oops extends Error {})("x"),
  () => ({ 2: "b", 1: "a", z: 0, y: "x\ud800" }),
  () => JSON.parse('{"__proto__": 1, "a": 2}') as unknown,
  () => ({ n: -0, s: "ok" }),
  () => Object.create({ inherited: () => 1 }) as unknown,
  () => Object.defineProperty({}, "lazy", { get: () => ({ deep: Symbol("g") }), enumerable: true }),
];
const oddity = fc.integer({ min: 0, max: oddities.length - 1 }).map((i) => oddities[i]!());
const placed = fc
  .tuple(anything, oddity, fc.integer({ min: 0, max: 4 }))
  .map(
    ([a, odd, where]) =>
      [odd, { a, x: odd }, [a, odd], new Map<unknown, unknown>([["k", odd]]), { rows: [{ i: 1 }, { i: 2, odd }] }][where],
  );
const values = fc.oneof(anything, placed);

describe("the check walk", () => {
  it("answers as the plain walk does: the same refusal naming the same path, and the same verdict on MessagePack", () => {
    fc.assert(fc.property(values, expectAgreement), { numRuns: 4000 });
  });

  it.each(oddities.map((make, i) => [i, make] as const))("agrees on edge case %i", (_i, make) => {
    expectAgreement(make());
    expectAgreement({ rows: [make(), make()] });
  });

  it("visits own keys only while Object.prototype has an enumerable property", () => {
    const made = fc.sample(values, { numRuns: 500, seed: 7 });
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = () => "inherited";
    try {
      expect(fastWalk({ a: 1, nested: { b: [2] } })).toEqual({ problem: undefined, exact: true });
      for (const value of made) expectAgreement(value);
    } finally {
      delete proto.polluted;
    }
    expect(fastWalk({ a: 1 })).toEqual({ problem: undefined, exact: true });
  });

  it("keeps the refusal messages users see", () => {
    expect(fastWalk({ rows: [{ ok: 1 }, { ok: 2, [Symbol("k")]: 3 }] }).problem).toBe(
      "result.rows[1] has the symbol key Symbol(k), which is not stored; use a string key",
    );
    expect(fastWalk([{ a: { b: () => 1 } }]).problem).toBe("result[0].a.b is a function");
    expect(fastWalk({ list: Object.assign([1], { [Symbol("s")]: 1 }) }).problem).toBe(
      "result.list has the symbol key Symbol(s), which is not stored; use a string key",
    );
  });
});
