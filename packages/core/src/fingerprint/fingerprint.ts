import type { FingerprintComponents } from "../contracts/store.js";
import { hashText } from "./hash.js";

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One digest over every component, independent of key order. */
export function combineFingerprint(c: FingerprintComponents): string {
  return hashText(
    JSON.stringify([c.code, sortedEntries(c.inputs), sortedEntries(c.upstream), c.version ?? null]),
  );
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
