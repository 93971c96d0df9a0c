// Copies of plain objects for the check walk (see `PackFit.copy`). A spread (`{ ...o }`) makes
// each copy in the young generation, whose collector then copies a million long-lived records
// once more on their way to the old one. An object literal is an allocation site V8 learns to
// allocate where its objects stay: records of one shape, met again and again, are copied by a
// literal compiled for that shape, which reads each property once, as the spread does.

interface Shape {
  keys: string[];
  /** How many objects of this shape were met; compiled once it is common. */
  seen: number;
  make: ((o: object) => Record<string, unknown>) | undefined | null;
}

/** Objects of a shape met this often get a compiled copier: rarer shapes are not worth one. */
const COMPILE_FROM = 64;
/** Shapes remembered per walk; past that, spreads. */
const MAX_SHAPES = 16;
/** Wider objects are spread: a literal that big is not worth compiling. */
const MAX_KEYS = 64;

let shapes: Shape[] = [];
let last: Shape | undefined;

/** Forgets the shapes met: one walk's shapes are not the next one's. */
export function newCopyWalk(): void {
  shapes = [];
  last = undefined;
}

/** Whether `for…in` over `value` gives exactly `keys`, in order. */
function hasKeys(value: object, keys: string[]): boolean {
  let n = 0;
  for (const key in value) {
    if (keys[n] !== key) return false;
    n++;
  }
  return n === keys.length;
}

function shapeOf(value: object): Shape | undefined {
  if (last && hasKeys(value, last.keys)) return last;
  for (const shape of shapes) if (shape !== last && hasKeys(value, shape.keys)) return (last = shape);
  if (shapes.length >= MAX_SHAPES) return undefined;
  const keys = Object.keys(value);
  if (keys.length > MAX_KEYS) return undefined;
  const shape: Shape = { keys, seen: 0, make: undefined };
  shapes.push(shape);
  return (last = shape);
}

function compile(keys: string[]): ((o: object) => Record<string, unknown>) | null {
  // A literal `__proto__:` would set the prototype instead of making a key.
  if (keys.includes("__proto__")) return null;
  try {
    const fields = keys.map((key) => `${JSON.stringify(key)}: o[${JSON.stringify(key)}]`).join(", ");
    return new Function("o", `return { ${fields} };`) as (o: object) => Record<string, unknown>;
  } catch {
    // Code generation from strings may be switched off (--disallow-code-generation-from-strings).
    return null;
  }
}

/**
 * A copy of a plain object (own enumerable string keys, `Object.prototype`): the same keys in
 * the same order, each property read once. Only while `for…in` gives own keys alone.
 */
export function copyPlain(value: Record<string, unknown>): Record<string, unknown> {
  const shape = shapeOf(value);
  if (shape === undefined) return { ...value };
  if (shape.make === undefined && ++shape.seen >= COMPILE_FROM) shape.make = compile(shape.keys);
  return shape.make ? shape.make(value) : { ...value };
}
