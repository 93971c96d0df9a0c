import { types } from "node:util";
import { deserialize, serialize } from "node:v8";
import type { Serializer } from "../contracts/serializer.js";
import { copyPlain, newCopyWalk } from "./plain-copy.js";

const PLAIN_PROTOTYPES = new Set<unknown>([
  Object.prototype,
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

// Boxed primitives: structured serialization keeps them, MessagePack would not.
const UNFIT_PROTOTYPES = new Set<unknown>([Boolean.prototype, Number.prototype, String.prototype, BigInt.prototype]);

// The error classes structured serialization rebuilds; any other (a subclass,
// AggregateError) comes back as a plain Error.
const ERROR_PROTOTYPES = new Set<unknown>([
  Error.prototype,
  EvalError.prototype,
  RangeError.prototype,
  ReferenceError.prototype,
  SyntaxError.prototype,
  TypeError.prototype,
  URIError.prototype,
]);
// The own properties of an error that survive; others (`code`, `errno`, …) are dropped.
const ERROR_KEYS = new Set(["message", "stack", "cause"]);

function errorProblem(value: Error, path: string): string | undefined {
  const proto = Object.getPrototypeOf(value);
  if (!ERROR_PROTOTYPES.has(proto)) {
    const name = (proto?.constructor as { name?: string } | undefined)?.name ?? "unknown class";
    return `${path} is an instance of ${name}, which would come back as a plain Error; store { name, message, … } instead`;
  }
  for (const key of Object.getOwnPropertyNames(value)) {
    if (!ERROR_KEYS.has(key))
      return `${path} has its own property \`${key}\`, which an Error loses when stored; store { message, ${key}, … } instead`;
  }
  return undefined;
}

/**
 * What a walk learns of a value besides refusals: whether it is a tree (no value reached
 * twice) of what MessagePack carries exactly. Cleared by anything only structured
 * serialization keeps: shared or circular references, -0, array holes or named array
 * properties, strings with lone surrogates, errors, boxed primitives, an own `__proto__` key.
 */
export interface PackFit {
  exact: boolean;
  /** About how many bytes MessagePack takes (ASCII strings assumed), so that its buffer is sized once. */
  bytes: number;
  /**
   * When set, the UTF-16 code units of the strings met are added to it: each takes at most
   * 3 bytes in UTF-8 where `bytes` counts 1, so `bytes + 2 * chars` bounds what they take.
   */
  chars?: number;
  /**
   * Set to also build a copy of the value as the walk goes (see {@link copyOf}): plain
   * objects by `{ ...o }`, arrays element by element, nested objects replaced by their
   * copies, primitives shared. Cleared by anything else it meets (a Map, a Date, a Buffer…):
   * then there is no copy.
   */
  copy?: boolean;
  /** The copy of the object walked last; the whole value's, once the walk is done. */
  made?: unknown;
}

/**
 * The copy a walk with `fit.copy` built of `value`: what MessagePack reads back from the
 * bytes of the copy (each read of the value was made once, into the copy), held by no one
 * else. `undefined` when the value is not an exact fit or holds anything other than plain
 * objects, arrays and primitives.
 */
export function copyOf(value: unknown, fit: PackFit): { value: unknown } | undefined {
  if (!fit.copy || !fit.exact) return undefined;
  return { value: value !== null && typeof value === "object" ? fit.made : value };
}

// String.prototype.isWellFormed (Node 20) is newer than the ES lib the packages compile against.
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed;

/** Clears `fit` for a primitive MessagePack would change: -0, or a string UTF-8 cannot hold. */
function checkPrimitive(v: unknown, fit: PackFit): void {
  if (typeof v === "number") {
    fit.bytes += 9;
    if (v === 0 && 1 / v < 0) fit.exact = false;
  } else if (typeof v === "string") {
    fit.bytes += v.length + 5;
    if (fit.chars !== undefined) fit.chars += v.length;
    // Reading a character makes a concatenated string one flat string, in place, here: the
    // pack does it anyway, but only after its buffer for the whole body is allocated, and
    // those copies (a million of them for a million records) then run while that much
    // memory outside the heap hurries V8's collector into marking the whole heap.
    v.charCodeAt(0);
    if (!isWellFormed.call(v)) fit.exact = false;
  } else fit.bytes += 9;
}

// Structured serialization goes by what an object is, not by its prototype: an object
// given the prototype of a kind it is not (or a kind given another's prototype) comes back
// as what it is, with that kind's own prototype.
const KINDS: [name: string, proto: object, is: (value: object) => boolean][] = [
  ["Array", Array.prototype, Array.isArray],
  ["Error", Error.prototype, types.isNativeError],
  ["Map", Map.prototype, types.isMap],
  ["Set", Set.prototype, types.isSet],
  ["Date", Date.prototype, types.isDate],
  ["RegExp", RegExp.prototype, types.isRegExp],
  ["ArrayBuffer", ArrayBuffer.prototype, types.isArrayBuffer],
  ["Boolean", Boolean.prototype, types.isBooleanObject],
  ["Number", Number.prototype, types.isNumberObject],
  ["String", String.prototype, types.isStringObject],
  ["BigInt", BigInt.prototype, types.isBigIntObject],
];

const KIND_BY_PROTO = new Map(KINDS.map((kind) => [kind[1], kind]));

/** What kind `value` is, when its prototype says otherwise; `undefined` when they agree. */
function borrowedKind(value: object, proto: object): string | undefined {
  const claimed = KIND_BY_PROTO.get(proto);
  // The common case first: one check that the object is what its prototype says.
  if (claimed?.[2](value)) return undefined;
  for (const [name, , is] of KINDS) if (is(value)) return name;
  return proto === Object.prototype ? undefined : "Object";
}

function protoName(proto: object | null): string {
  if (proto === Object.prototype) return "Object";
  for (const [name, kindProto] of KINDS) if (proto === kindProto) return name;
  return (proto?.constructor as { name?: string } | undefined)?.name ?? "unknown class";
}

const an = (name: string): string => `${/^[AEIO]/.test(name) ? "an" : "a"} ${name}`;

function mismatch(path: string | null, proto: object | null, kind: string): string {
  const name = protoName(proto);
  if (kind === "Object")
    return `${path} has the prototype of ${name} but is not ${an(name)}, so it would come back as a plain object; store a real ${name} or a plain object`;
  return `${path} is ${an(kind)} with the prototype of ${name}, so it would come back as ${an(kind)}; store ${an(kind)} with its own prototype`;
}

/** The kind of a typed array or DataView, by what it is; `Uint8Array` also for a Buffer. */
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

function viewProblem(value: ArrayBufferView, path: string | null): string | undefined {
  const proto = Object.getPrototypeOf(value);
  const kind = types.isDataView(value) ? "DataView" : (typedArrayTag.call(value) as string);
  const own = (globalThis as unknown as Record<string, { prototype: object }>)[kind]!.prototype;
  if (proto === own || (kind === "Uint8Array" && proto === Buffer.prototype)) return undefined;
  return mismatch(path, proto, kind);
}

// Whether `for…in` over a plain object visits its own keys alone, checked once per walk.
let forInGivesOwnKeys = false;

function hasEnumerableKey(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/**
 * Finds what structured serialization would silently change or cannot carry: class
 * instances (their prototype is lost), objects without a prototype, symbol keys, error
 * subclasses and errors' own properties, functions and symbols. Returns a path to the
 * first such value and what it is, or `undefined` when the value round-trips exactly.
 * @param fit - when given, also learns whether MessagePack would carry the value exactly
 */
export function findUnserializable(value: unknown, path = "result", seen = new Set<object>(), fit?: PackFit): string | undefined {
  forInGivesOwnKeys = !hasEnumerableKey(Object.prototype);
  if (fit?.copy) newCopyWalk();
  // Paths are spelled out only once something is found: building one per value (a number
  // turned into text per array element) costs more than walking again.
  if (walk(value, null, seen, fit) === undefined) return undefined;
  return walk(value, path, new Set());
}

/** @param path - `null` while no path is needed: what is returned then only says that something was found */
function walk(value: unknown, path: string | null, seen: Set<object>, fit?: PackFit): string | undefined {
  if (typeof value === "function") return `${path} is a function`;
  if (typeof value === "symbol") return `${path} is a symbol`;
  if (value === null || typeof value !== "object") {
    if (fit?.exact) checkPrimitive(value, fit);
    return undefined;
  }
  if (seen.has(value)) {
    if (fit) fit.exact = false;
    return undefined;
  }
  seen.add(value);
  if (fit) fit.bytes += 5;
  if (ArrayBuffer.isView(value)) {
    if (fit) {
      fit.bytes += value.byteLength;
      fit.copy = false;
    }
    return viewProblem(value, path);
  }
  const proto = Object.getPrototypeOf(value);
  // Plain objects and arrays, nearly every object of big data: none of the class checks
  // below can apply to them.
  if (proto === Object.prototype && !Array.isArray(value)) return walkPlainObject(value as Record<string, unknown>, path, seen, fit);
  if (proto === Array.prototype && Array.isArray(value)) return symbolKey(value, path) ?? walkArray(value, path, seen, fit);
  // Any other kind gets no copy: plain data is what is big, and copying each kind exactly
  // as MessagePack reads it back would be a second decoder to keep in step.
  if (fit) fit.copy = false;
  if (value instanceof Error) {
    if (fit) fit.exact = false;
    if (!types.isNativeError(value)) return mismatch(path, proto, "Object");
    return errorProblem(value, path ?? "");
  }
  if (proto === null)
    return `${path} has no prototype (Object.create(null)), so it would come back as a plain object; store { ...value } instead`;
  if (!PLAIN_PROTOTYPES.has(proto)) {
    const name = (proto?.constructor as { name?: string } | undefined)?.name ?? "unknown class";
    return `${path} is an instance of ${name}, which would come back as a plain object`;
  }
  // Only here, past the plain objects and arrays, so big data pays nothing for it.
  const kind = borrowedKind(value, proto);
  if (kind !== undefined) return mismatch(path, proto, kind);
  const symbol = symbolKey(value, path);
  if (symbol) return symbol;
  if (fit?.exact && UNFIT_PROTOTYPES.has(proto)) fit.exact = false;
  if (fit && value instanceof ArrayBuffer) fit.bytes += value.byteLength;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const found = walk(k, path && `${path} key`, seen, fit) ?? walk(v, path && `${path}.get(${String(k)})`, seen, fit);
      if (found) return found;
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const v of value) {
      const found = walk(v, path && `${path} member`, seen, fit);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(value)) return walkArray(value, path, seen, fit);
  return walkEntries(value as Record<string, unknown>, Object.keys(value), path, seen, fit);
}

function symbolKey(value: object, path: string | null): string | undefined {
  const symbols = Object.getOwnPropertySymbols(value);
  if (symbols.length > 0) return `${path} has the symbol key ${String(symbols[0])}, which is not stored; use a string key`;
  return undefined;
}

function walkArray(value: unknown[], path: string | null, seen: Set<object>, fit?: PackFit): string | undefined {
  const length = value.length;
  // The copy is filled as the elements are read: each is read once.
  const copy = fit?.copy && fit.exact ? new Array<unknown>(length) : undefined;
  for (let i = 0; i < length; i++) {
    const v = value[i];
    // Primitives are by far the common case in big arrays: skip the call.
    if (v !== null && (typeof v === "object" || typeof v === "function" || typeof v === "symbol")) {
      const found = walk(v, path && `${path}[${i}]`, seen, fit);
      if (found) return found;
      if (copy) copy[i] = fit!.made;
    } else {
      if (fit?.exact) {
        if (v === undefined && !(i in value)) fit.exact = false;
        else checkPrimitive(v, fit);
      }
      if (copy) copy[i] = v;
    }
  }
  // With no holes (found above), an array has more enumerable own properties than its
  // length only when it has named ones. Counted by values, not keys: the keys of a million
  // elements are a million new strings.
  if (fit?.exact && Object.values(value).length !== value.length) fit.exact = false;
  if (copy) fit!.made = copy;
  return undefined;
}

/** An object whose prototype is `Object.prototype`. */
function walkPlainObject(value: Record<string, unknown>, path: string | null, seen: Set<object>, fit?: PackFit): string | undefined {
  const symbol = symbolKey(value, path);
  if (symbol) {
    const keys = Object.keys(value);
    return (keys.length === 0 || keys[0] === "0" ? hiddenKind(value, path) : undefined) ?? symbol;
  }
  // The copy is walked instead of the value: each property (a getter, a Proxy's) is read
  // once, by the spread, and what is checked is what is packed.
  const own = fit?.copy && fit.exact ? (forInGivesOwnKeys ? copyPlain(value) : { ...value }) : value;
  // `for…in` goes through the object's cached keys without making an array of them per
  // object (a million arrays for a million records); it gives the same keys in the same
  // order as `Object.keys` while `Object.prototype` has no enumerable property of its own.
  if (!forInGivesOwnKeys) {
    const keys = Object.keys(own);
    const kind = keys.length === 0 || keys[0] === "0" ? hiddenKind(value, path) : undefined;
    return kind ?? walkEntries(own, keys, path, seen, fit) ?? made(own, value, fit);
  }
  let empty = true;
  for (const key in own) {
    if (empty) {
      empty = false;
      const kind = key === "0" ? hiddenKind(value, path) : undefined;
      if (kind) return kind;
    }
    const found = visitEntry(own, key, path, seen, fit);
    if (found) return found;
  }
  return (empty ? hiddenKind(value, path) : undefined) ?? made(own, value, fit);
}

/** Records `own` as the copy of the object just walked, when it is one. */
function made(own: object, value: object, fit?: PackFit): undefined {
  if (fit && own !== value) fit.made = own;
  return undefined;
}

/**
 * A Map, Set, Date, RegExp, Error, ArrayBuffer or boxed primitive given `Object.prototype`
 * looks like a plain object, but structured serialization goes by what it is (it comes back
 * as itself) and MessagePack would store its own keys (none, or a String's characters).
 * Only an object with no key, or whose first key is "0", is asked what it is: plain records
 * pay nothing for it.
 */
function hiddenKind(value: object, path: string | null): string | undefined {
  const kind = borrowedKind(value, Object.prototype);
  return kind === undefined ? undefined : mismatch(path, Object.prototype, kind);
}

function walkEntries(
  value: Record<string, unknown>,
  keys: string[],
  path: string | null,
  seen: Set<object>,
  fit?: PackFit,
): string | undefined {
  for (const key of keys) {
    const found = visitEntry(value, key, path, seen, fit);
    if (found) return found;
  }
  return undefined;
}

/** @param value - the object, or the copy being made of it (whose property then becomes the copy of what it holds) */
function visitEntry(
  value: Record<string, unknown>,
  key: string,
  path: string | null,
  seen: Set<object>,
  fit?: PackFit,
): string | undefined {
  const v = value[key];
  if (fit?.exact && (key === "__proto__" || !isWellFormed.call(key))) fit.exact = false;
  if (v !== null && (typeof v === "object" || typeof v === "function" || typeof v === "symbol")) {
    const found = walk(v, path && `${path}.${key}`, seen, fit);
    if (found === undefined && fit?.copy && fit.exact) value[key] = fit.made;
    return found;
  }
  if (fit?.exact) checkPrimitive(v, fit);
  return undefined;
}

/**
 * Node's structured serialization (`node:v8`): objects, arrays, Map, Set, Date, RegExp,
 * BigInt, Buffers, typed arrays, and nested or circular data round-trip exactly.
 * Values it would change (class instances, objects without a prototype, symbol keys,
 * error subclasses) or cannot carry (functions) are refused, naming the path.
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
