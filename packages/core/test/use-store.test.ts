import { describe, expect, it } from "vitest";
import { InvalidOptionError, MemoryStore, type ResultStore, task } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

describe("pipeline.useStore()", () => {
  it("keeps results in the new store from the next run on, and closes the one it replaces", async () => {
    const first = new MemoryStore();
    let closed = false;
    const closing: ResultStore = Object.assign(Object.create(first) as ResultStore, { close: async () => void (closed = true) });
    const pipeline = quietPipeline("Swap", { store: closing }).pipeline.add(task("A", { run: () => 1 }));
    await pipeline.execute();
    const second = new MemoryStore();
    await pipeline.useStore(() => second);
    expect(closed).toBe(true);
    expect(pipeline.store).toBe(second);
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("executed");
    expect(await second.has("A")).toBe(true);
  });

  it("rejects what is not a store, naming the pipeline and the option", async () => {
    const { pipeline } = quietPipeline("Swap");
    await expect(pipeline.useStore(42 as never)).rejects.toThrow(InvalidOptionError);
    await expect(pipeline.useStore({} as never)).rejects.toThrow(/Pipeline "Swap" useStore\(\): expected `store` to be a result store or a store factory, got an object/);
  });
});

describe("the run summary", () => {
  it("records where an attempt ran when the executor says", async () => {
    const executor = {
      name: "remote",
      run: async () => ({ body: new Uint8Array([1]), type: "number", empty: false, processes: [], ranOn: "box:7" }),
    };
    const summary = await quietPipeline("Where").pipeline.add(task("A", { run: () => 1 })).execute({ executor });
    expect(summary.tasks[0]!.ranOn).toBe("box:7");
    const local = await quietPipeline("Here").pipeline.add(task("A", { run: () => 1 })).execute();
    expect(local.tasks[0]!.ranOn).toBeUndefined();
  });
});
