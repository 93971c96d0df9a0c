import { describe, expect, it } from "vitest";
import { task } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

// A task's `this` is a plain object of its own properties: code that copies it, wraps it in a
// Proxy or builds on it with Object.create sees the same fields as code that reads it directly.
describe("a task's this", () => {
  it("has its fields as own properties, in a stable order, and no item or index outside a map", async () => {
    let seen: Record<string, unknown> = {};
    const { pipeline } = quietPipeline("P");
    pipeline.add([
      task("A", { run: () => 1 }),
      task("T", {
        dependencies: ["A"],
        run() {
          const copy = { ...this } as Record<string, unknown>;
          seen = {
            keys: Object.keys(this),
            itemIn: "item" in this,
            indexIn: "index" in this,
            spread: [typeof copy.logger, typeof copy.signal, typeof copy.result, typeof copy.run],
            prototype: Object.getPrototypeOf(this),
          };
          return 2;
        },
      }),
    ]);
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(seen.keys).toEqual(["name", "task", "pipeline", "logger", "signal", "attempt", "result", "run"]);
    expect(seen.itemIn).toBe(false);
    expect(seen.indexIn).toBe(false);
    expect(seen.spread).toEqual(["object", "object", "function", "function"]);
    expect(seen.prototype).toBeNull();
  });

  it("works through a Proxy and through an object built on it", async () => {
    let seen: unknown[] = [];
    const { pipeline } = quietPipeline("P");
    pipeline.add([
      task("A", { run: () => 40 }),
      task("T", {
        dependencies: ["A"],
        async run() {
          const proxy = new Proxy(this, {});
          const derived = Object.create(this) as typeof this;
          seen = [
            typeof proxy.logger.info,
            proxy.signal.aborted,
            await proxy.result("A"),
            typeof derived.logger.info,
            derived.signal.aborted,
            await derived.result("A"),
          ];
          return 2;
        },
      }),
    ]);
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(seen).toEqual(["function", false, 40, "function", false, 40]);
  });
});
