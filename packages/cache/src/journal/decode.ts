import type { Entry, JournalView } from "./view.js";

const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

function decodeOne(entry: Entry): void {
  try {
    entry.decoded = JSON.parse(entry.meta.toString("utf8"));
  } catch {
    entry.decoded = null;
  }
}

/**
 * Decodes the metadata of every entry added since the last call. A run asks for every
 * task's metadata, and one JSON.parse over all of them costs a fraction of thousands of
 * small ones.
 */
function decodePending(view: JournalView): void {
  const pending = view.undecoded.filter((e) => e.decoded === undefined && view.entries.get(e.key) === e);
  view.undecoded = [];
  if (pending.length === 0) return;
  const parts: Buffer[] = [OPEN];
  for (const e of pending) parts.push(e.meta, COMMA);
  parts[parts.length - 1] = CLOSE;
  try {
    const all = JSON.parse(Buffer.concat(parts).toString("utf8")) as unknown[];
    if (all.length === pending.length) {
      pending.forEach((e, i) => (e.decoded = all[i] ?? null));
      return;
    }
  } catch {
    // One record does not decode: find it below.
  }
  for (const e of pending) decodeOne(e);
}

/** An entry's metadata, decoded lazily (shared: copy before handing it out); undefined when it does not decode. */
export function decodedMeta(view: JournalView, entry: Entry): unknown {
  if (entry.decoded === undefined) decodePending(view);
  // An entry replaced meanwhile is not in the bulk batch: decode it alone.
  if (entry.decoded === undefined) decodeOne(entry);
  return entry.decoded ?? undefined;
}
