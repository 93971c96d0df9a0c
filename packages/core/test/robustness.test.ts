import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryStore, Task, silentLogger, task } from "../src/index.js";
import { quietPipeline, sleep, tempDir } from "./helpers.js";

describe("robustness", () => {
  it("a signal aborted before the run starts ends the run at once", async () => {
    const controller = new AbortController();
    controller.abort();
    const { pipeline } = quietPipeline("P");
    pipeline.add(task("A", { run: () => 1 }));
    const summary = await pipeline.execute({ signal: controller.signal });
    expect(summary.interrupted).toBe(true);
    expect(summary.tasks[0]!.state).toBe("cancelled");
  });

  it("a logger that throws in forTask cannot fail or hang the run", async () => {
    const base = silentLogger();
    const { pipeline } = quietPipeline("P", { logger: { ...base, forTask: () => { throw new Error("no logger"); } } });
    pipeline.add(task("A", { async run() { this.logger.info("still has a logger"); return 1; } }));
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("executed");
  });

  it("metadata in a foreign format means the task re-runs, not a crash", async () => {
    const store = new MemoryStore();
    await store.put("A", new Uint8Array([1]), { key: "A", digest: "x" } as never);
    const { pipeline } = quietPipeline("P", { store });
    pipeline.add(task("A", { run: () => 1 }));
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("executed");
    expect(summary.tasks[0]!.decision?.text).toContain("another format");
  });

  it("a store that fails to read metadata fails that task with a message naming it", async () => {
    const store = new MemoryStore();
    store.getMeta = async () => {
      throw new Error("EACCES: permission denied");
    };
    const { pipeline } = quietPipeline("P", { store });
    pipeline.add(task("A", { run: () => 1 }));
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.error?.code).toBe("LP_STORE");
    expect(summary.tasks[0]!.error?.message).toBe('Task "A": reading its stored metadata from memory failed (EACCES: permission denied).');
  });

  it("an input file edited while its task runs is not recorded as seen", async () => {
    const dir = tempDir();
    const file = join(dir, "a.csv");
    writeFileSync(file, "v1");
    const { pipeline } = quietPipeline("P", { cwd: dir });
    pipeline.add(
      task("Read", {
        inputFiles: ["a.csv"],
        run() {
          const text = readFileSync(file, "utf8");
          writeFileSync(file, "v2");
          return text;
        },
      }),
    );
    await pipeline.execute();
    const second = await pipeline.execute();
    expect(second.tasks[0]!.state).toBe("executed");
    expect(second.tasks[0]!.decision?.text).toBe("input file a.csv changed");
  });

  it("the module that created a task is the innermost caller outside little-pipelines", () => {
    const t = new Task("T");
    expect(t.definedIn).toBe(new URL(import.meta.url).pathname);
  });

  it("skipTasks holds even when something upstream failed; dependents use the stored result", async () => {
    const store = new MemoryStore();
    let fail = false;
    const make = () =>
      quietPipeline("P", { store }).pipeline.add(
        task("Up", { run() { if (fail) throw new Error("down"); return 1; } }),
        task("Mid", { dependencies: ["Up"], run: () => 2 }),
        task("Down", { dependencies: ["Mid"], async run() { return (await this.result<number>("Mid")) + 1; } }),
      );
    await make().execute();
    fail = true;
    const summary = await make().execute({ skipTasks: ["Mid"], forceTasks: ["Up", "Down"] });
    expect(summary.tasks.map((t) => t.state)).toEqual(["failed", "skipped", "executed"]);
  });

  it("dependents of a skipped-on-failure task name the task that actually failed", async () => {
    const { pipeline } = quietPipeline("P");
    pipeline.add(
      task("Bad", { run() { throw new Error("x"); } }),
      task("Tolerant", { dependencies: ["Bad"], ifUpstreamErrors: "skip", run: () => 1 }),
      task("After", { dependencies: ["Tolerant"], run: () => 2 }),
    );
    const summary = await pipeline.execute();
    expect(summary.tasks[2]!.error?.message).toBe('Task "After" did not run because its upstream "Bad" failed.');
  });

  it("a retry after a timeout waits for the timed-out attempt, so attempts never overlap", async () => {
    let running = 0;
    let peak = 0;
    const { pipeline } = quietPipeline("P", { concurrency: 1 });
    pipeline.add(
      task("Stubborn", {
        timeout: 20,
        retries: { count: 2, delayMs: 1 },
        async run() {
          running++;
          peak = Math.max(peak, running);
          await sleep(60); // ignores its signal
          running--;
          return 1;
        },
      }),
    );
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.attempts).toBe(3);
    expect(peak).toBe(1);
  });

  it("refuses a second execute() while one is running", async () => {
    const { pipeline } = quietPipeline("P");
    pipeline.add(task("A", { run: () => sleep(20) }));
    const first = pipeline.execute();
    await expect(pipeline.execute()).rejects.toThrow('Pipeline "P" is already executing');
    await first;
    await expect(pipeline.execute()).resolves.toBeTruthy();
  });

  it("rejects a timeout longer than a timer can wait", () => {
    expect(() => new Task("T", { timeout: 30 * 24 * 3600 * 1000 })).toThrow("from 1 to 2147483647");
  });
});
