import type { FingerprintComponents } from "../contracts/store.js";
import { hashText } from "./hash.js";

/** `key\0value` lines in key order; NUL cannot occur in paths or task names' hashes. */
function canonical(record: Record<string, string>): string {
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = "";
  for (const k of keys) out += `${k}\u0000${record[k]}\n`;
  return out;
}

/** One digest over every component, independent of key order. On the hot path of every run. */
export function combineFingerprint(c: FingerprintComponents): string {
  return hashText(`${c.code}\u0001${canonical(c.inputs)}\u0001${canonical(c.upstream)}\u0001${c.version ?? ""}`);
}

function changedKeys(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

/** Which components differ between a stored fingerprint and the current one. */
export function diffComponents(before: FingerprintComponents, after: FingerprintComponents) {
  return {
    code: before.code !== after.code,
    version: (before.version ?? null) !== (after.version ?? null),
    inputs: changedKeys(before.inputs, after.inputs),
    upstream: changedKeys(before.upstream, after.upstream),
  };
}
