import type { Serializer } from "../contracts/serializer.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isContainer(v: unknown): v is object {
  return v !== null && typeof v === "object";
}

/**
 * Finds what JSON would silently change or cannot carry, with the path to it: numbers JSON
 * has no form for (NaN, ±Infinity, -0), `undefined` in an array, BigInt, functions and
 * symbols, and any object that is not a plain object or array (Dates, Map, Set, Buffers,
 * typed arrays, class instances), and circular references. `undefined` when the value
 * comes back equal.
 */
export function findNonJson(value: unknown, path = "result", ancestors: object[] = []): string | undefined {
  switch (typeof value) {
    case "number":
      if (Number.isNaN(value) || !Number.isFinite(value)) return `${path} is ${value}, which JSON stores as null`;
      if (Object.is(value, -0)) return `${path} is -0, which JSON stores as 0`;
      return undefined;
    case "bigint":
      return `${path} is a BigInt, which JSON cannot hold; use the v8 serializer or a string`;
    case "function":
      return `${path} is a function, which JSON cannot hold`;
    case "symbol":
      return `${path} is a symbol, which JSON cannot hold`;
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  if (ancestors.includes(value))
    return `${path} refers back to an enclosing value (circular), which JSON cannot hold; use the v8 serializer`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype) {
    const name =
      proto === null
        ? "an object without a prototype"
        : `a ${(proto.constructor as { name?: string } | undefined)?.name ?? "class instance"}`;
    return `${path} is ${name}, which JSON would not give back as it was; use the v8 serializer or store plain objects, arrays, strings, numbers, booleans and null`;
  }
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (v === undefined) return `${path}[${i}] is undefined, which JSON stores as null`;
        if (typeof v === "string" || typeof v === "boolean" || v === null) continue;
        const found = findNonJson(v, `${path}[${i}]`, ancestors);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      // An undefined property is left out, and reads back as undefined: that is a round trip.
      if (v === undefined || typeof v === "string" || typeof v === "boolean" || v === null) continue;
      if (typeof v === "number" || isContainer(v) || typeof v === "bigint" || typeof v === "function" || typeof v === "symbol") {
        const found = findNonJson(v, `${path}.${key}`, ancestors);
        if (found) return found;
      }
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}

/**
 * JSON text: readable by other tools. Only plain data is accepted — objects, arrays,
 * strings, finite numbers, booleans and null; anything JSON would change on the way back
 * (a Date, a Map, NaN, a Buffer, a class instance …) is refused, naming its path.
 */
export const jsonSerializer: Serializer = {
  name: "json",
  serialize(value) {
    const problem = value === undefined ? undefined : findNonJson(value);
    if (problem) throw new TypeError(problem);
    return encoder.encode(JSON.stringify(value === undefined ? null : value));
  },
  deserialize(bytes) {
    return JSON.parse(decoder.decode(bytes));
  },
};
