import type { PutOptions, ResultMeta, ResultStore, StoredResult } from "../contracts/store.js";

/**
 * A result store in memory: fast, and gone with the process. The default when a
 * pipeline is given no store; also the reference implementation of the contract.
 */
export class MemoryStore implements ResultStore {
  readonly description = "memory";
  readonly readsLocally: boolean = true;
  readonly #entries = new Map<string, StoredResult>();

  async get(key: string): Promise<StoredResult | undefined> {
    const entry = this.#entries.get(key);
    // Copies keep callers from mutating what is stored.
    return entry && { body: new Uint8Array(entry.body), meta: { ...entry.meta } };
  }

  async getMeta(key: string): Promise<ResultMeta | undefined> {
    const entry = this.#entries.get(key);
    return entry && { ...entry.meta };
  }

  /**
   * Keeps a copy of `body`, or with `options.owned` (nothing writes to it any more) the body
   * itself, unless it is a small view of a bigger buffer, which it would keep alive whole.
   */
  async put(key: string, body: Uint8Array, meta: ResultMeta, options?: PutOptions): Promise<void> {
    // A copy (a Buffer's slice() would be a view): what the caller does to its bytes later is not stored.
    const kept = options?.owned === true && body.byteLength * 2 >= body.buffer.byteLength ? body : new Uint8Array(body);
    this.#entries.set(key, { body: kept, meta: { ...meta, key } });
  }

  async has(key: string): Promise<boolean> {
    return this.#entries.has(key);
  }

  async delete(key: string): Promise<boolean> {
    return this.#entries.delete(key);
  }

  async list(): Promise<ResultMeta[]> {
    return [...this.#entries.values()].map((e) => ({ ...e.meta }));
  }

  async clear(): Promise<void> {
    this.#entries.clear();
  }

  async setExpiry(key: string, expiresAt: number): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry) entry.meta = { ...entry.meta, expiresAt };
  }
}
