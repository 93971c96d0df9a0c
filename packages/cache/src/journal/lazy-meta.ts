/**
 * Reading a result's metadata (the JSON that `JSON.stringify` wrote) without decoding its
 * `components`, which a fresh result does not need and which make up most of it: the
 * top-level members are stepped over, the components object is cut out, and the rest is
 * parsed. Anything unusual (spaces, a key spelled with escapes, a duplicate key) leaves it
 * to a full parse, so the answer is always what `JSON.parse` of the whole would give.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN = 123;
const CLOSE = 125;
const OPEN_LIST = 91;
const CLOSE_LIST = 93;
const COMPONENTS_KEY = '"components"';

/** Index just past the string whose opening quote is at `at`; -1 when it does not end. */
function stringEnd(text: string, at: number): number {
  let i = text.indexOf('"', at + 1);
  while (i !== -1) {
    let slashes = 0;
    while (text.charCodeAt(i - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return i + 1;
    i = text.indexOf('"', i + 1);
  }
  return -1;
}

/** Index just past the object or array that opens at `at`; -1 when it does not close. */
function nestedEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end === -1) return -1;
      i = end - 1;
    } else if (c === OPEN || c === OPEN_LIST) depth++;
    else if ((c === CLOSE || c === CLOSE_LIST) && --depth === 0) return i + 1;
  }
  return -1;
}

/** Index just past a number, `true`, `false` or `null` at `at`. */
function scalarEnd(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === CLOSE || c === CLOSE_LIST) break;
  }
  return i;
}

/** Where the top-level `"components": {…}` member lies: its key's quote, and its value's bounds. */
export interface ComponentsSpan {
  keyAt: number;
  valueAt: number;
  valueEnd: number;
}

/** The top-level components member of a metadata object's JSON, or undefined when it is not plainly there. */
export function componentsSpan(text: string): ComponentsSpan | undefined {
  if (text.charCodeAt(0) !== OPEN) return undefined;
  let p = 1;
  while (p < text.length && text.charCodeAt(p) === QUOTE) {
    const keyEnd = stringEnd(text, p);
    if (keyEnd === -1 || text.charCodeAt(keyEnd) !== COLON) return undefined;
    const at = keyEnd + 1;
    const c = text.charCodeAt(at);
    const end = c === QUOTE ? stringEnd(text, at) : c === OPEN || c === OPEN_LIST ? nestedEnd(text, at) : scalarEnd(text, at);
    if (end === -1) return undefined;
    if (keyEnd - p === COMPONENTS_KEY.length && text.startsWith(COMPONENTS_KEY, p)) {
      return c === OPEN ? { keyAt: p, valueAt: at, valueEnd: end } : undefined;
    }
    if (text.charCodeAt(end) !== COMMA) return undefined;
    p = end + 1;
  }
  return undefined;
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
