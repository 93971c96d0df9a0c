import type { ResultStore } from "../contracts/store.js";
import { digestBytes } from "../fingerprint/hash.js";
import type { Task } from "../task/task.js";

/**
 * The elements of a mapped task's previous combined result, by the digest of each one's
 * serialized bytes: one body read in place of one per unchanged branch. A branch whose
 * stored body has the same digest holds the same bytes, so its value can be taken from
 * here. Each element is handed out once (`take`), so that branches keep values of their own
 * as when read one by one.
 */
export class PreviousElements {
  readonly #byDigest = new Map<string, unknown[]>();

  /** Reads the task's stored combined result; empty when there is none or it cannot be read. */
  static async read(task: Task<unknown>, store: ResultStore): Promise<PreviousElements> {
    const elements = new PreviousElements();
    const found = await store.get(task.name).catch(() => undefined);
    if (!found || found.meta.serializer !== task.serializer.name) return elements;
    let values: unknown;
    try {
      values = task.serializer.deserialize(found.body);
    } catch {
      return elements;
    }
    if (!Array.isArray(values)) return elements;
    for (const value of values) {
      try {
        const bytes = task.serializer.serialize(value);
        const digest = digestBytes(bytes instanceof Uint8Array ? bytes : await bytes);
        const same = elements.#byDigest.get(digest);
        if (same) same.push(value);
        else elements.#byDigest.set(digest, [value]);
      } catch {
        // Not serializable again: its branch is read on its own.
      }
    }
    return elements;
  }

  /** An element whose bytes have `digest`, given out once; `found: false` when none is left. */
  take(digest: string): { found: true; value: unknown } | { found: false } {
    const same = this.#byDigest.get(digest);
    if (!same || same.length === 0) return { found: false };
    return { found: true, value: same.pop() };
  }
}
