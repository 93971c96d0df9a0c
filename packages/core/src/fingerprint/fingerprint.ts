import type { FingerprintComponents } from "../contracts/store.js";
import { hashText } from "./hash.js";

/** `key\0value` lines in key order; NUL cannot occur in paths or task names' hashes. */
function canonical(record: Record<string, string>): string {
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = "";
  for (const k of keys) out += canonicalLine(k, record[k]!);
  return out;
}

/** The text a fingerprint is the digest of: every component, in key order. */
export function fingerprintText(c: FingerprintComponents): string {
  return joinParts(c.code, canonical(c.inputs), canonical(c.upstream), c.version);
}

/** The fingerprint's text from its parts, `inputs` and `upstream` already in canonical form. */
export function joinParts(code: string, inputs: string, upstream: string, version: string | undefined): string {
  return `${code}\u0001${inputs}\u0001${upstream}\u0001${version ?? ""}`;
}

/** One `key\0value` line of the canonical form. */
export function canonicalLine(key: string, value: string): string {
  return `${key}\u0000${value}\n`;
}

/** One digest over every component, independent of key order. On the hot path of every run. */
export function combineFingerprint(c: FingerprintComponents): string {
  return hashText(fingerprintText(c));
}

function changedKeys(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

/**
 * Which parts of the code changed, as labels (`function \`run\` in pipeline.ts`), marked
 * "added" or "removed" when only one side has them; `undefined` when the stored result did
 * not record its parts (an earlier fingerprint scheme).
 */
export function changedCodeParts(before: FingerprintComponents, after: FingerprintComponents): string[] | undefined {
  const b = before.codeParts;
  const a = after.codeParts ?? {};
  if (!b) return undefined;
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    if (b[key] === a[key]) continue;
    out.push(!(key in b) ? `${key} (added)` : !(key in a) ? `${key} (removed)` : key);
  }
  return out;
}

/** Which components differ between a stored fingerprint and the current one. */
export function diffComponents(before: FingerprintComponents, after: FingerprintComponents) {
  return {
    code: before.code !== after.code,
    codeParts: before.code !== after.code ? changedCodeParts(before, after) : [],
    version: (before.version ?? null) !== (after.version ?? null),
    inputs: changedKeys(before.inputs, after.inputs),
    upstream: changedKeys(before.upstream, after.upstream),
  };
}
