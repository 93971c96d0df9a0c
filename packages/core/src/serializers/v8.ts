import { deserialize, serialize } from "node:v8";
import type { Serializer } from "../contracts/serializer.js";

const PLAIN_PROTOTYPES = new Set<unknown>([
  Object.prototype,
  null,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  Date.prototype,
  RegExp.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Buffer.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  BigInt.prototype,
]);

/**
 * Finds what structured serialization would silently change or cannot carry: class
 * instances (their prototype is lost), functions and symbols. Returns a path to the
 * first such value and what it is, or `undefined` when the value round-trips exactly.
 */
export function findUnserializable(value: unknown, path = "result", seen = new Set<object>()): string | undefined {
  if (typeof value === "function") return `${path} is a function`;
  if (typeof value === "symbol") return `${path} is a symbol`;
  if (value === null || typeof value !== "object") return undefined;
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof Error) return undefined;
  const proto = Object.getPrototypeOf(value);
  if (!PLAIN_PROTOTYPES.has(proto)) {
    const name = (proto?.constructor as { name?: string } | undefined)?.name ?? "unknown class";
    return `${path} is an instance of ${name}, which would come back as a plain object`;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const found = findUnserializable(k, `${path} key`, seen) ?? findUnserializable(v, `${path}.get(${String(k)})`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const v of value) {
      const found = findUnserializable(v, `${path} member`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      // Primitives are by far the common case in big arrays: skip the call.
      if (v !== null && (typeof v === "object" || typeof v === "function" || typeof v === "symbol")) {
        const found = findUnserializable(v, `${path}[${i}]`, seen);
        if (found) return found;
      }
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && (typeof v === "object" || typeof v === "function" || typeof v === "symbol")) {
      const found = findUnserializable(v, `${path}.${key}`, seen);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Node's structured serialization (`node:v8`): objects, arrays, Map, Set, Date, RegExp,
 * BigInt, Buffers, typed arrays, and nested or circular data round-trip exactly.
 * Values it would change (class instances) or cannot carry (functions) are refused.
 */
export const v8Serializer: Serializer = {
  name: "v8",
  serialize(value) {
    const problem = findUnserializable(value);
    if (problem) throw new TypeError(problem);
    return serialize(value);
  },
  deserialize(bytes) {
    return deserialize(bytes);
  },
};
