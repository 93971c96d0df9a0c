import { describe, expect, it } from "vitest";
import { MemoryStore, type ResultMeta, task } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

/** A store whose saves of one key wait until released, like a slow disk sync. */
class SlowStore extends MemoryStore {
  release!: () => void;
  readonly gate = new Promise<void>((r) => {
    this.release = r;
  });
  constructor(readonly slowKey: string) {
    super();
  }
  override async put(key: string, body: Uint8Array, meta: ResultMeta) {
    if (key === this.slowKey) await this.gate;
    return super.put(key, body, meta);
  }
}

describe("saving results", () => {
  it("dependents start on the in-memory result while it saves; the task is done only once saved", async () => {
    const store = new SlowStore("Up");
    const order: string[] = [];
    const { pipeline, events } = quietPipeline("P", { store });
    pipeline.add(
      task("Up", { run: () => 20 }),
      task("Down", {
        dependencies: ["Up"],
        async run() {
          order.push("Down started");
          const up = await this.result<number>("Up");
          store.release();
          return up + 1;
        },
      }),
    );
    const summary = await pipeline.execute();
    expect(order).toEqual(["Down started"]);
    expect(summary.tasks.map((t) => t.state)).toEqual(["executed", "executed"]);
    const done = events.filter((e) => e.type === "task:done").map((e) => (e as { task: string }).task);
    expect(done).toEqual(["Up", "Down"]);
    // Output stays in order: Down's lines come after Up reported done, though Down started earlier.
    const at = (type: string, name: string) => events.findIndex((e) => e.type === type && (e as { task?: string }).task === name);
    expect(at("task:done", "Up")).toBeLessThan(at("task:start", "Down"));
    expect(await pipeline.getResult("Down")).toBe(21);
    expect(await store.getMeta("Up")).toBeDefined();
  });

  it("this.pipeline.getResult() inside a task sees an upstream result that is still saving", async () => {
    const store = new SlowStore("Zero");
    const { pipeline } = quietPipeline("P", { store });
    pipeline.add(
      task("Zero", { run: () => ["Some", "values"] }),
      task("One", {
        dependencies: ["Zero"],
        async run() {
          const data = await this.pipeline.getResult<string[]>("Zero");
          store.release();
          return [...data, "more"];
        },
      }),
    );
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(await pipeline.getResult("One")).toEqual(["Some", "values", "more"]);
  });

  it("a save that fails fails its task with a message naming it and the store", async () => {
    const store = new MemoryStore();
    store.put = async () => {
      throw new Error("ENOSPC: no space left on device");
    };
    const { pipeline } = quietPipeline("P", { store });
    pipeline.add(task("Up", { run: () => 1 }));
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("failed");
    expect(summary.tasks[0]!.error?.message).toBe(
      'Task "Up": the result could not be stored (ENOSPC: no space left on device). The store "memory" raised it: fix what it reports (or give the pipeline another store), then run again.',
    );
  });
});
