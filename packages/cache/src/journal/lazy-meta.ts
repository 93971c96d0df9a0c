/**
 * Reading a result's metadata (the JSON that `JSON.stringify` wrote) without decoding its
 * `components`, which a fresh result does not need and which make up most of it: the
 * components object is found and cut out, and the rest is parsed. Anything unusual (spaces,
 * a key spelled with escapes or repeated, nesting core does not write) leaves it to a full
 * parse, so the answer is always what `JSON.parse` of the whole would give.
 */

const COMMA = 44;

/**
 * A JSON string: only JSON's own escapes, and no control characters, as JSON.parse accepts.
 * Any other escape (`\x`, `\uZZZZ`) leaves the text to the full parse, which refuses it.
 */
const STRING = String.raw`"[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"`;
/** A JSON number. */
const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
/** A number, `true`, `false` or `null`. */
const SCALAR = String.raw`(?:${STRING}|-?\d[\d.eE+-]*|true|false|null)`;
/** An object whose values are strings, or objects of strings: what core writes as components. */
const FLAT = String.raw`\{(?:${STRING}:${STRING}(?:,${STRING}:${STRING})*)?\}`;
const MEMBERS = String.raw`\{(?:${STRING}:(?:${STRING}|${FLAT})(?:,${STRING}:(?:${STRING}|${FLAT}))*)?\}`;

/**
 * The metadata's opening members up to `"components":`, each a string, number or literal
 * (group 1), and the components object (group 2). A regular expression rather than a loop
 * of our own: V8 compiles it to machine code at once, where a loop run once per entry of a
 * run would mostly be interpreted.
 */
const LEADING_COMPONENTS = new RegExp(String.raw`^\{((?:${STRING}:${SCALAR},)*)"components":(${MEMBERS})`);

/**
 * The metadata exactly as core writes it (`resultMeta`, in its order), each field in a group
 * of its own: read without parsing JSON but the strings that hold escapes.
 */
const CORE_LAYOUT = new RegExp(
  String.raw`^\{"key":(${STRING}),"fingerprint":(${STRING}),"components":(${MEMBERS}),"digest":(${STRING}),"size":(${NUMBER}),"serializer":(${STRING}),"createdAt":(${NUMBER}),"expiresAt":(${NUMBER}|null),(?:"session":(${STRING}),)?"expiry":(${STRING})(?:,"empty":(true|false))?(?:,"type":(${STRING}))?\}$`,
);

/** A JSON string's value: its text between the quotes, unless it holds escapes. */
const stringOf = (json: string): string => (json.indexOf("\\") === -1 ? json.slice(1, -1) : (JSON.parse(json) as string));

/** Metadata in core's layout (see {@link CORE_LAYOUT}), its members in the same order as JSON.parse gives them. */
function coreLayout(text: string): Record<string, unknown> | undefined {
  const m = CORE_LAYOUT.exec(text);
  if (!m) return undefined;
  const components = m[3]!;
  const meta: Record<string, unknown> = {
    key: stringOf(m[1]!),
    fingerprint: stringOf(m[2]!),
    components: () => objectOf(components),
    digest: stringOf(m[4]!),
    size: Number(m[5]),
    serializer: stringOf(m[6]!),
    createdAt: Number(m[7]),
    expiresAt: m[8] === "null" ? null : Number(m[8]),
  };
  if (m[9] !== undefined) meta.session = stringOf(m[9]);
  meta.expiry = stringOf(m[10]!);
  if (m[11] !== undefined) meta.empty = m[11] === "true";
  if (m[12] !== undefined) meta.type = stringOf(m[12]);
  return meta;
}

/** Where the top-level `"components": {…}` member lies: its key's quote, and its value's bounds. */
export interface ComponentsSpan {
  keyAt: number;
  valueAt: number;
  valueEnd: number;
}

/**
 * The top-level components member of a metadata object's JSON, or undefined when it is not
 * plainly there: only scalars before it, and in it nothing but strings and objects of strings.
 */
export function componentsSpan(text: string): ComponentsSpan | undefined {
  const found = LEADING_COMPONENTS.exec(text);
  if (!found) return undefined;
  const keyAt = 1 + found[1]!.length;
  const valueAt = keyAt + '"components":'.length;
  return { keyAt, valueAt, valueEnd: valueAt + found[2]!.length };
}

/** An object parsed from JSON text, or undefined when the text is not the JSON of an object. */
function objectOf(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The metadata with `components` as a function that decodes them (a fresh object on each
 * call; undefined if they do not decode); undefined when the text is not plainly such
 * metadata (then parse it whole).
 */
export function parseWithoutComponents(text: string): Record<string, unknown> | undefined {
  let quick: Record<string, unknown> | undefined;
  try {
    quick = coreLayout(text);
  } catch {
    // A string with an escape JSON does not have: left to the parses below.
  }
  if (quick) return quick;
  const span = componentsSpan(text);
  if (!span) return undefined;
  const { keyAt, valueAt, valueEnd } = span;
  // The member and one comma beside it go.
  let rest: string;
  if (text.charCodeAt(valueEnd) === COMMA) rest = text.slice(0, keyAt) + text.slice(valueEnd + 1);
  else if (text.charCodeAt(keyAt - 1) === COMMA) rest = text.slice(0, keyAt - 1) + text.slice(valueEnd);
  else rest = text.slice(0, keyAt) + text.slice(valueEnd);
  const meta = objectOf(rest);
  // A second `components` member (JSON.parse keeps the last) is left to the full parse.
  if (!meta || Object.hasOwn(meta, "components")) return undefined;
  meta.components = () => objectOf(text.slice(valueAt, valueEnd));
  return meta;
}
