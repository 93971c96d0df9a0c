import { describe, expect, it } from "vitest";
import { MemoryStore, Task, UnknownTaskError, task } from "../src/index.js";
import { quietPipeline } from "./helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A mapped task over [1, 2] whose branch for item 2 runs `run2`; item 1 just returns. */
function mapped(name: string, options: Record<string, unknown>, run2: (attempt: number) => unknown) {
  const { pipeline, events } = quietPipeline(name, { store: new MemoryStore() });
  pipeline.add(
    task("Items", { run: () => [1, 2] }),
    new Task("M", {
      map: "Items",
      onBranchError: "skip",
      ...options,
      run() {
        return this.item === 2 ? run2(this.attempt) : this.item;
      },
    }),
  );
  return { pipeline, events };
}

describe("a mapped task's branches follow the task's retry policy", () => {
  it("a branch is tried `count + 1` times, then reported with its last error", async () => {
    const seen: number[] = [];
    const { pipeline } = mapped("Spent", { retries: { count: 2, delayMs: 1 } }, (attempt) => {
      seen.push(attempt);
      throw new Error(`try ${attempt}`);
    });
    const summary = await pipeline.execute();
    expect(seen).toEqual([1, 2, 3]);
    const m = summary.tasks.find((t) => t.name === "M")!;
    expect(m.branches?.failed).toEqual([{ index: 1, label: "M[1]", message: "try 3" }]);
    expect(await pipeline.getResult("M")).toEqual([1]);
  });

  it("an error that says it would recur (by its class) is not retried", async () => {
    const seen: number[] = [];
    const { pipeline } = mapped("Logic", { retries: { count: 3, delayMs: 1 } }, (attempt) => {
      seen.push(attempt);
      throw new UnknownTaskError("M", "Totl", "Total");
    });
    const summary = await pipeline.execute();
    expect(seen).toEqual([1]);
    expect(summary.tasks.find((t) => t.name === "M")!.branches?.failed[0]?.message).toContain('"Totl"');
  });

  it("waits the backoff delay before each retry (delayMs, then times factor)", async () => {
    const startedAt: number[] = [];
    const { pipeline } = mapped("Backoff", { retries: { count: 2, delayMs: 60, factor: 3 } }, (attempt) => {
      startedAt.push(performance.now());
      if (attempt < 3) throw new Error("flaky");
      return "third time";
    });
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(await pipeline.getResult("M")).toEqual([1, "third time"]);
    // Lower bounds only: a loaded machine may wait longer, never shorter (a timer may round down a millisecond).
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(60 - 2);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(180 - 2);
  });

  it("a run stopped while a branch waits to retry ends at once: no further attempt, the task cancelled", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const { pipeline } = mapped("Stopped", { retries: { count: 3, delayMs: 100_000 } }, (attempt) => {
      seen.push(attempt);
      setTimeout(() => controller.abort(), 20);
      throw new Error("flaky");
    });
    const summary = await pipeline.execute({ signal: controller.signal });
    expect(summary.interrupted).toBe(true);
    expect(summary.tasks.find((t) => t.name === "M")!.state).toBe("cancelled");
    expect(seen).toEqual([1]);
  });

  it("a branch attempt that timed out and runs on is left to finish before the retry starts: attempts never overlap", async () => {
    const spans: { attempt: number; start: number; end?: number }[] = [];
    const { pipeline } = mapped("Overlap", { timeout: 50, retries: { count: 1, delayMs: 1 } }, async (attempt) => {
      const span: { attempt: number; start: number; end?: number } = { attempt, start: performance.now() };
      spans.push(span);
      // The first attempt ignores its signal and goes on well past its timeout.
      if (attempt === 1) await sleep(400);
      span.end = performance.now();
      return `attempt ${attempt}`;
    });
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(await pipeline.getResult("M")).toEqual([1, "attempt 2"]);
    expect(spans.map((s) => s.attempt)).toEqual([1, 2]);
    expect(spans[1]!.start).toBeGreaterThanOrEqual(spans[0]!.end!);
  });

  it("a branch whose result cannot be stored fails without a retry, naming the task and the branch", async () => {
    class NoBranchStore extends MemoryStore {
      override async put(...args: Parameters<MemoryStore["put"]>) {
        if (args[0].includes("[")) throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
        return super.put(...args);
      }
    }
    let calls = 0;
    const { pipeline } = quietPipeline("Unstorable", { store: new NoBranchStore() });
    pipeline.add(
      task("Items", { run: () => [1] }),
      new Task("M", {
        map: "Items",
        retries: { count: 3, delayMs: 1 },
        run() {
          calls++;
          return this.item;
        },
      }),
    );
    const summary = await pipeline.execute();
    const m = summary.tasks.find((t) => t.name === "M")!;
    expect(m.state).toBe("failed");
    expect(calls).toBe(1);
    expect(m.branches?.failed[0]?.message).toMatch(/^Task "M": branch M\[0\] could not be stored \(EACCES: permission denied\)/);
  });
});

describe("a plain task's retries (the same policy)", () => {
  it("a run stopped while a task waits to retry ends at once: no further attempt, the task cancelled", async () => {
    const controller = new AbortController();
    let calls = 0;
    const { pipeline, events } = quietPipeline("StoppedPlain", { store: new MemoryStore() });
    pipeline.add(
      task("Flaky", {
        retries: { count: 3, delayMs: 100_000 },
        run() {
          calls++;
          setTimeout(() => controller.abort(), 20);
          throw new Error("flaky");
        },
      }),
    );
    const summary = await pipeline.execute({ signal: controller.signal });
    expect(summary.interrupted).toBe(true);
    expect(summary.tasks[0]).toMatchObject({ state: "cancelled", attempts: 1 });
    expect(calls).toBe(1);
    expect(events.filter((e) => e.type === "task:retry")).toHaveLength(1);
  });
});
