import { describe, expect, it } from "vitest";
import { type EncodedResult, MemoryStore, msgpackSerializer, task, v8Serializer } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

// An array given Object's prototype, or an array-like object given Array's, would come back
// from MessagePack as the other one and from structured serialization as what it is: a
// round trip through neither is exact, so both refuse it, naming the path.

const arrayAsObject = () => Object.setPrototypeOf([1, 2], Object.prototype) as object;
const objectAsArray = () => Object.setPrototypeOf({ 0: 1, length: 1 }, Array.prototype) as object;
const ARRAY_AS_OBJECT = "is an Array with the prototype of Object, so it would come back as an Array; store an Array with its own prototype";
const OBJECT_AS_ARRAY = "has the prototype of Array but is not an Array, so it would come back as a plain object; store a real Array or a plain object";

function refusal(serialize: () => unknown): string {
  try {
    serialize();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error("expected the value to be refused");
}

const serializers = [
  ["the default serializer", (value: unknown) => msgpackSerializer.encode!(value) as EncodedResult],
  ["v8Serializer", (value: unknown) => v8Serializer.serialize(value)],
] as const;

describe.each(serializers)("%s refuses arrays and objects with each other's prototype", (_which, serialize) => {
  it("as the result itself", () => {
    expect(refusal(() => serialize(arrayAsObject()))).toBe(`result ${ARRAY_AS_OBJECT}`);
    expect(refusal(() => serialize(objectAsArray()))).toBe(`result ${OBJECT_AS_ARRAY}`);
  });

  it("inside arrays, objects, Maps and Sets, naming the path", () => {
    expect(refusal(() => serialize({ rows: [[0], arrayAsObject()] }))).toBe(`result.rows[1] ${ARRAY_AS_OBJECT}`);
    expect(refusal(() => serialize(new Map([["k", { v: objectAsArray() }]])))).toBe(`result.get(k).v ${OBJECT_AS_ARRAY}`);
    expect(refusal(() => serialize({ s: new Set([1, arrayAsObject()]) }))).toBe(`result.s member ${ARRAY_AS_OBJECT}`);
  });

  it("still keeps arrays and plain objects, holes and array-like objects included", () => {
    const holes = [1, 2, 3];
    delete holes[1];
    const value = { holes, like: { 0: "a", length: 1 }, nested: [[{ a: [] }]] };
    expect(() => serialize(value)).not.toThrow();
  });
});

describe("in a run", () => {
  it("a task returning either fails with LP_SERIALIZATION naming the task and path; the others are stored", async () => {
    for (const serializer of [undefined, v8Serializer]) {
      const store = new MemoryStore();
      const { pipeline } = quietPipeline("Swapped", { store });
      pipeline.add(
        task("Good", { run: () => [1, 2] }),
        task("ArrayAsObject", { serializer, run: () => arrayAsObject() }),
        task("ObjectAsArray", { serializer, run: () => ({ list: objectAsArray() }) }),
      );
      await pipeline.execute();
      const errors = Object.fromEntries(pipeline.failures.map((f) => [f.task, f.error as { code?: string; message: string }]));
      expect(errors.ArrayAsObject).toMatchObject({ code: "LP_SERIALIZATION", message: expect.stringContaining(`result ${ARRAY_AS_OBJECT}`) });
      expect(errors.ArrayAsObject!.message).toContain('"ArrayAsObject"');
      expect(errors.ObjectAsArray).toMatchObject({ code: "LP_SERIALIZATION", message: expect.stringContaining(`result.list ${OBJECT_AS_ARRAY}`) });
      expect(await pipeline.getResult("Good")).toEqual([1, 2]);
      expect((await store.list()).map((meta) => meta.key)).toEqual(["Good"]);
    }
  });
});
