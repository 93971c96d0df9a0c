import type { EncodedResult, Serializer } from "../contracts/serializer.js";
import type { ResultMeta, ResultStore } from "../contracts/store.js";
import { digestBytes } from "../fingerprint/hash.js";
import { serializerFor, writesFormat } from "../serializers/registry.js";
import type { Task } from "../task/task.js";

/** A value as a branch of its task stores it (as `encodeResult`), without a turn of the event loop when the serializer is synchronous. */
function encodeAlone(serializer: Serializer, value: unknown): EncodedResult | Promise<EncodedResult> {
  if (serializer.encode) return serializer.encode(value);
  const body = serializer.serialize(value);
  return body instanceof Uint8Array ? { body, serializer: serializer.name } : body.then((b) => ({ body: b, serializer: serializer.name }));
}

/** What identifies a stored body: the serializer that reads it and the digest of its bytes. */
const bodyId = (serializer: string, digest: string) => `${serializer}\u0000${digest}`;

/**
 * The elements of a mapped task's previous combined result, by the digest of each one's
 * bytes as a branch would store it: one body read in place of one per unchanged branch. A
 * branch whose stored body has the same format and digest holds the same bytes, so its value
 * can be taken from here. Each element is handed out once (`take`), so that branches keep values of their own
 * as when read one by one.
 */
export class PreviousElements {
  /** The first element with each digest; further ones with the same digest wait in `#more`. */
  readonly #byDigest = new Map<string, unknown>();
  readonly #more = new Map<string, unknown[]>();

  /** Reads the task's stored combined result; empty when there is none or it cannot be read. */
  static async read(task: Task<unknown>, store: ResultStore): Promise<PreviousElements> {
    const elements = new PreviousElements();
    const found = await store.get(task.name).catch(() => undefined);
    const reader = found && writesFormat(task.serializer, found.meta.serializer) ? serializerFor(task.serializer, found.meta.serializer) : undefined;
    if (!found || !reader) return elements;
    let values: unknown;
    try {
      values = reader.deserialize(found.body);
    } catch {
      return elements;
    }
    if (!Array.isArray(values)) return elements;
    for (const value of values) {
      try {
        const encoded = encodeAlone(task.serializer, value);
        const { body, serializer } = encoded instanceof Promise ? await encoded : encoded;
        elements.#add(bodyId(serializer, digestBytes(body)), value);
      } catch {
        // Not serializable again: its branch is read on its own.
      }
    }
    return elements;
  }

  #add(digest: string, value: unknown): void {
    if (!this.#byDigest.has(digest)) this.#byDigest.set(digest, value);
    else {
      const more = this.#more.get(digest);
      if (more) more.push(value);
      else this.#more.set(digest, [value]);
    }
  }

  /** An element stored as the branch `meta` describes, given out once; `found: false` when none is left. */
  take(meta: Pick<ResultMeta, "serializer" | "digest">): { found: true; value: unknown } | { found: false } {
    const digest = bodyId(meta.serializer, meta.digest);
    const more = this.#more.get(digest);
    if (more && more.length > 0) return { found: true, value: more.pop() };
    if (!this.#byDigest.has(digest)) return { found: false };
    const value = this.#byDigest.get(digest);
    this.#byDigest.delete(digest);
    return { found: true, value };
  }
}
