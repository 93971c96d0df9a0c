import { describe, expect, it } from "vitest";
import { type EncodedResult, MemoryStore, msgpackSerializer, task, v8Serializer } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

// Structured serialization goes by what an object is, not by its prototype: an object given
// the prototype of a kind it is not would come back as something else, so it is refused.

function refusal(serialize: () => unknown): string {
  try {
    serialize();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error("expected the value to be refused");
}

const fake = (proto: object) => () => Object.setPrototypeOf({ a: 1 }, proto) as object;
const borrowed: [name: string, make: () => object][] = [
  ["Map", fake(Map.prototype)],
  ["Set", fake(Set.prototype)],
  ["Date", fake(Date.prototype)],
  ["RegExp", fake(RegExp.prototype)],
  ["ArrayBuffer", fake(ArrayBuffer.prototype)],
  ["DataView", fake(DataView.prototype)],
  ["Buffer", fake(Buffer.prototype)],
  ["Array", fake(Array.prototype)],
  ["Number", fake(Number.prototype)],
  ["String", fake(String.prototype)],
  ["Boolean", fake(Boolean.prototype)],
  ["BigInt", fake(BigInt.prototype)],
  ["Error", () => Object.setPrototypeOf({ message: "m" }, Error.prototype) as object],
];
const article = (name: string) => (/^[AEIO]/.test(name) ? "an" : "a");

// A real object of a kind given Object.prototype looks like a plain object with no key (or
// a String's characters as keys), but comes back as what it is.
const plainly = (make: () => object) => () => Object.setPrototypeOf(make(), Object.prototype) as object;
const disguised: [name: string, make: () => object][] = [
  ["Map", plainly(() => new Map([[1, 2]]))],
  ["Set", plainly(() => new Set([1]))],
  ["Date", plainly(() => new Date(0))],
  ["RegExp", plainly(() => /a/g)],
  ["Error", plainly(() => new Error("m"))],
  ["ArrayBuffer", plainly(() => new ArrayBuffer(4))],
  ["Boolean", plainly(() => Object(true) as object)],
  ["Number", plainly(() => Object(5) as object)],
  ["String", plainly(() => Object("ab") as object)],
  ["String", plainly(() => Object("") as object)],
  ["BigInt", plainly(() => Object(5n) as object)],
];

const serializers = [
  ["v8Serializer", (value: unknown) => v8Serializer.serialize(value)],
  ["the default serializer", (value: unknown) => msgpackSerializer.encode!(value) as EncodedResult],
  ["the default serializer asked for a copy", (value: unknown) => msgpackSerializer.encode!(value, { copy: true }) as EncodedResult],
] as const;

describe.each(serializers)("%s refuses an object with a borrowed prototype, naming the path", (_which, serialize) => {
  it.each(borrowed)("the prototype of %s on a plain object", (name, make) => {
    const expected = `result.x has the prototype of ${name} but is not ${article(name)} ${name}, so it would come back as a plain object; store a real ${name} or a plain object`;
    expect(refusal(() => serialize({ x: make() }))).toBe(expected);
    expect(refusal(() => serialize({ rows: [{ ok: 1 }, new Map([["k", make()]])] }))).toBe(
      expected.replace("result.x", "result.rows[1].get(k)"),
    );
  });

  it.each(disguised)("a real %s given the prototype of Object", (name, make) => {
    const a = `${article(name)} ${name}`;
    const expected = `result.x is ${a} with the prototype of Object, so it would come back as ${a}; store ${a} with its own prototype`;
    expect(refusal(() => serialize({ x: make() }))).toBe(expected);
    expect(refusal(() => serialize([{ ok: 1 }, { x: make() }]))).toBe(expected.replace("result.x", "result[1].x"));
  });

  it("still takes plain objects with no key, or with a first key of 0", () => {
    expect(() => serialize({ empty: {}, rows: [{}, { 0: "a", b: 1 }, { 0: { 0: [] } }] })).not.toThrow();
  });

  it("one kind given another kind's prototype", () => {
    expect(refusal(() => serialize({ x: Object.setPrototypeOf([1, 2], Map.prototype) }))).toBe(
      "result.x is an Array with the prototype of Map, so it would come back as an Array; store an Array with its own prototype",
    );
    expect(refusal(() => serialize({ x: Object.setPrototypeOf(new Set([1]), Map.prototype) }))).toBe(
      "result.x is a Set with the prototype of Map, so it would come back as a Set; store a Set with its own prototype",
    );
    expect(refusal(() => serialize([Object.setPrototypeOf([1], Object.prototype)]))).toBe(
      "result[0] is an Array with the prototype of Object, so it would come back as an Array; store an Array with its own prototype",
    );
    expect(refusal(() => serialize({ b: Object.setPrototypeOf(new Uint8Array(2), Object.prototype) }))).toBe(
      "result.b is a Uint8Array with the prototype of Object, so it would come back as a Uint8Array; store a Uint8Array with its own prototype",
    );
    class Bytes extends Uint16Array {}
    expect(refusal(() => serialize({ b: new Bytes(2) }))).toBe(
      "result.b is a Uint16Array with the prototype of Bytes, so it would come back as a Uint16Array; store a Uint16Array with its own prototype",
    );
  });

  it("still keeps the real kinds, Buffers and typed arrays", () => {
    const value = {
      m: new Map([[1, new Set([2])]]),
      at: new Date(0),
      re: /a/g,
      ab: new ArrayBuffer(2),
      dv: new DataView(new ArrayBuffer(2)),
      buf: Buffer.from("hi"),
      f: new Float64Array([1.5]),
      n: Object(1) as object,
      err: new RangeError("r"),
    };
    expect(() => serialize(value)).not.toThrow();
  });
});

describe("in a run", () => {
  it("a task returning a borrowed prototype fails with LP_SERIALIZATION naming the task and path; nothing is stored for it", async () => {
    for (const serializer of [undefined, v8Serializer]) {
      const store = new MemoryStore();
      const { pipeline } = quietPipeline("Borrowed", { store });
      pipeline.add(
        task("Good", { run: () => ({ ok: 1 }) }),
        task("FakeMap", { serializer, run: () => ({ rows: [{ m: Object.setPrototypeOf({ a: 1 }, Map.prototype) as object }] }) }),
      );
      await pipeline.execute();
      const errors = Object.fromEntries(pipeline.failures.map((f) => [f.task, f.error as { code?: string; message: string }]));
      expect(errors.FakeMap).toMatchObject({
        code: "LP_SERIALIZATION",
        message: expect.stringContaining("result.rows[0].m has the prototype of Map but is not a Map"),
      });
      expect(errors.FakeMap?.message).toContain("FakeMap");
      expect(await pipeline.getResult("Good")).toEqual({ ok: 1 });
      const stored = (await store.list()).map((meta) => meta.key);
      expect(stored).toEqual(["Good"]);
    }
  });
});
