import { describe, expect, it } from "vitest";
import { jsonSerializer, MemoryStore, task, v8Serializer } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

function refusal(serialize: () => unknown): string {
  try {
    serialize();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the value to be refused");
}

const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
class NotFound extends Error {}
const withCode = Object.assign(new Error("gone"), { code: "ENOENT" });

describe("the v8 serializer refuses what it would change", () => {
  it.each([
    ["a symbol key", { rows: { [Symbol("k")]: 1, b: 2 } }, "result.rows has the symbol key Symbol(k)"],
    ["an object without a prototype", { deep: [nullProto] }, "result.deep[0] has no prototype"],
    ["an Error subclass", { err: new NotFound("x") }, "result.err is an instance of NotFound, which would come back as a plain Error"],
    ["an error's own property", [withCode], "result[0] has its own property `code`"],
    ["an AggregateError", new AggregateError([], "m"), "result is an instance of AggregateError"],
  ])("%s, naming the path", (_what, value, message) => {
    expect(refusal(() => v8Serializer.serialize(value))).toContain(message);
  });

  it("keeps what round-trips exactly: standard errors with a cause, Map, Set, Date, BigInt, typed arrays, circular data", () => {
    const circular: Record<string, unknown> = { n: 1n, at: new Date(0), m: new Map([[1, new Set([2])]]), bytes: new Uint8Array([1, 2]) };
    circular.self = circular;
    const value = { circular, err: new TypeError("bad", { cause: "why" }) };
    const back = v8Serializer.deserialize(v8Serializer.serialize(value) as Uint8Array) as typeof value;
    expect(back.err).toBeInstanceOf(TypeError);
    expect(back.err.cause).toBe("why");
    expect(back.circular.self).toBe(back.circular);
    expect(back.circular.m).toEqual(new Map([[1, new Set([2])]]));
    expect(back.circular.n).toBe(1n);
  });
});

describe("the JSON serializer refuses what JSON would change", () => {
  const circular: Record<string, unknown> = {};
  circular.again = { circular };
  it.each([
    ["NaN", { x: [1, Number.NaN] }, "result.x[1] is NaN, which JSON stores as null"],
    ["Infinity", { x: Number.POSITIVE_INFINITY }, "result.x is Infinity"],
    ["-0", { x: -0 }, "result.x is -0, which JSON stores as 0"],
    ["a Buffer", { b: Buffer.from("hi") }, "result.b is a Buffer"],
    ["a typed array", { t: new Float64Array(2) }, "result.t is a Float64Array"],
    ["a Date", { at: new Date(0) }, "result.at is a Date"],
    ["a Map", { m: new Map() }, "result.m is a Map"],
    ["a class instance", { u: new (class User {})() }, "result.u is a User"],
    ["undefined in an array", [1, undefined], "result[1] is undefined, which JSON stores as null"],
    ["a BigInt", { n: 1n }, "result.n is a BigInt"],
    ["circular data", circular, "result.again.circular refers back to an enclosing value"],
  ])("%s, naming the path", (_what, value, message) => {
    expect(refusal(() => jsonSerializer.serialize(value))).toContain(message);
  });

  it("keeps plain data, and a value shared twice that is not circular", () => {
    const shared = { k: "v" };
    const value = { a: [1, "two", true, null, { shared }], b: shared, c: undefined, d: -1.5 };
    const back = jsonSerializer.deserialize(jsonSerializer.serialize(value) as Uint8Array);
    expect(back).toEqual({ a: [1, "two", true, null, { shared }], b: shared, d: -1.5 });
    expect(jsonSerializer.deserialize(jsonSerializer.serialize(undefined) as Uint8Array)).toBeNull();
  });
});

describe("in a run", () => {
  it("a result that would not round-trip fails its task with LP_SERIALIZATION naming the task and path; others keep theirs", async () => {
    const store = new MemoryStore();
    const { pipeline } = quietPipeline("RoundTrip", { store });
    pipeline.add(
      task("Good", { run: () => ({ ok: 1 }) }),
      task("Odd", { run: () => ({ rows: [Object.create(null) as object] }) }),
      task("Dated", { serializer: jsonSerializer, run: () => ({ at: new Date(0) }) }),
    );
    const summary = await pipeline.execute();
    const errors = Object.fromEntries(pipeline.failures.map((f) => [f.task, f.error as { code?: string; message: string }]));
    expect(errors.Odd).toMatchObject({ code: "LP_SERIALIZATION", message: expect.stringContaining("result.rows[0] has no prototype") });
    expect(errors.Odd?.message).toContain("Odd");
    expect(errors.Dated).toMatchObject({ code: "LP_SERIALIZATION", message: expect.stringContaining("result.at is a Date") });
    expect(await pipeline.getResult("Good")).toEqual({ ok: 1 });
    expect(summary).toBeDefined();
  });
});
