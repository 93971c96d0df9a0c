import { describe, expect, it } from "vitest";
import { MemoryStore, type PutOptions, type ResultMeta, type ResultStore, StoreError, Task, task } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

/** A store of one's own whose saves (of the keys `fails` picks) fail with a bare Error that names nothing. */
class ShelfStore implements ResultStore {
  readonly #inner = new MemoryStore();
  constructor(readonly fails: (key: string) => boolean = () => true) {}
  get = (key: string) => this.#inner.get(key);
  getMeta = (key: string) => this.#inner.getMeta(key);
  has = (key: string) => this.#inner.has(key);
  delete = (key: string) => this.#inner.delete(key);
  list = () => this.#inner.list();
  clear = () => this.#inner.clear();
  async put(key: string, body: Uint8Array, meta: ResultMeta, _options?: PutOptions): Promise<void> {
    if (this.fails(key)) throw new Error("shelf is full");
    return this.#inner.put(key, body, meta);
  }
}

async function failedMessage(store: ResultStore): Promise<string | undefined> {
  const { pipeline } = quietPipeline("P", { store });
  pipeline.add(task("Up", { run: () => 1 }));
  const summary = await pipeline.execute();
  expect(summary.tasks[0]!.state).toBe("failed");
  expect(summary.tasks[0]!.error?.code).toBe("LP_STORE");
  return summary.tasks[0]!.error?.message;
}

describe("a result the store fails to keep", () => {
  it("names the custom store whose bare Error names nothing, and says what to do", async () => {
    expect(await failedMessage(new ShelfStore())).toBe(
      'Task "Up": the result could not be stored (shelf is full). The store ShelfStore raised it: fix what it reports (or give the pipeline another store), then run again.',
    );
  });

  it("names a store by its description when it has one", async () => {
    const store = Object.assign(new ShelfStore(), { description: "shelf:/top" });
    expect(await failedMessage(store)).toMatch(/\(shelf is full\)\. The store "shelf:\/top" raised it: fix what it reports/);
  });

  it("names a store made as a plain object as the pipeline's", async () => {
    const inner = new ShelfStore();
    const store: ResultStore = {
      get: inner.get,
      getMeta: inner.getMeta,
      has: inner.has,
      delete: inner.delete,
      list: inner.list,
      clear: inner.clear,
      put: () => inner.put("", new Uint8Array(), {} as ResultMeta),
    };
    expect(await failedMessage(store)).toMatch(/\(shelf is full\)\. The pipeline's store raised it/);
  });

  it("keeps a store's own StoreError as it is: it says where and what to do already", async () => {
    const store = new ShelfStore();
    store.put = async () => {
      throw new StoreError("Could not store the result in /shelf: EROFS. Mount it writable.");
    };
    expect(await failedMessage(store)).toBe(
      'Task "Up": the result could not be stored (Could not store the result in /shelf: EROFS. Mount it writable.).',
    );
  });

  it("names the store for a branch of a mapped task too", async () => {
    const store = new ShelfStore((key) => key.includes("["));
    const { pipeline } = quietPipeline("Mapped", { store });
    pipeline.add(
      task("Items", { run: () => [1] }),
      new Task("M", {
        map: "Items",
        run() {
          return this.item;
        },
      }),
    );
    const summary = await pipeline.execute();
    const m = summary.tasks.find((t) => t.name === "M")!;
    expect(m.state).toBe("failed");
    expect(m.branches?.failed[0]?.message).toBe(
      'Task "M": branch M[0] could not be stored (shelf is full). The store ShelfStore raised it: fix what it reports (or give the pipeline another store), then run again.',
    );
  });
});
