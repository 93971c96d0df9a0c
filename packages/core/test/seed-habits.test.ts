import { describe, expect, it } from "vitest";
import {
  InvalidOptionError,
  type Logger,
  type LoggerProvider,
  MemoryStore,
  type ResultMeta,
  type RunEvent,
  Task,
  TaskFailedError,
  findTasks,
  task,
} from "../src/index.js";
import { quietPipeline } from "./helpers.js";

function example1() {
  const one = task("TaskOne", { run: () => 1 });
  const two = task("TaskTwo", { run: () => 2 });
  const three = task("TaskThree", { run: () => 3 });
  const sum = task("Sum", {
    dependencies: [one, two, three],
    async run() {
      return (await this.result(one)) + (await this.result(two)) + (await this.result(three));
    },
  });
  return { one, two, three, sum };
}

describe("the seed's habits", () => {
  it("the seed's manual loop: task.run() in order stores every result like execute()", async () => {
    const store = new MemoryStore();
    const { pipeline } = quietPipeline("Example1", { store });
    const { one, two, three, sum } = example1();
    pipeline.add(sum, one, two, three);
    const results: unknown[] = [];
    for (const t of pipeline.tasks) results.push(await t.run());
    expect(results.at(-1)).toBe(6);
    expect((await store.list()).map((m) => m.key).sort()).toEqual(["Sum", "TaskOne", "TaskThree", "TaskTwo"]);
    expect(sum.isExecuted).toBe(true);
    expect(sum.result).toBe(6);

    // Run again: the stored result is fresh, so the task is skipped and its result read back.
    expect(await pipeline.runTask(sum)).toBe(6);
    expect(sum.isExecuted).toBe(false);
    expect(sum.isSkipped).toBe(true);
    expect(one.isSkipped).toBe(true);
  });

  it("each task object keeps its own outcome: a task of the same name in another pipeline has its own", async () => {
    const a = task("Same", { run: () => "a" });
    const b = task("Same", { run: () => "b" });
    const fails = task("Same", {
      run() {
        throw new Error("no");
      },
    });
    expect([a.isExecuted, a.isSkipped, a.result]).toEqual([false, false, undefined]);
    const first = quietPipeline("First").pipeline;
    first.add(a);
    await first.execute();
    const second = quietPipeline("Second").pipeline;
    second.add(b);
    await second.execute();
    expect([a.isExecuted, a.result, b.isExecuted, b.result]).toEqual([true, "a", true, "b"]);
    const third = quietPipeline("Third").pipeline;
    third.add(fails);
    await third.execute();
    expect([fails.isExecuted, fails.isSkipped, fails.result]).toEqual([false, false, undefined]);
    await first.execute();
    expect([a.isExecuted, a.isSkipped, a.result, b.isExecuted]).toEqual([false, true, "a", true]);
  });

  it("runTask rejects with the task's error as the cause when the task fails", async () => {
    const { pipeline } = quietPipeline("P");
    pipeline.add(
      task("Bad", {
        run() {
          throw new RangeError("no rows");
        },
      }),
    );
    const error = await pipeline.runTask("Bad").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).code).toBe("LP_TASK_FAILED");
    expect((error as Error).message).toBe('Task "Bad" failed: no rows');
    expect((error as { cause: { name: string } }).cause.name).toBe("RangeError");
  });

  it("a task knows its pipeline, last outcome and last result; outside a pipeline it says so", async () => {
    const loose = new Task("Loose", { run: () => 1 });
    expect(() => loose.pipeline).toThrow(/Task "Loose" is not in a pipeline yet\. Add it first/);
    expect(() => loose.run()).toThrow(expect.objectContaining({ code: "LP_NOT_IN_PIPELINE" }));
    expect(loose.isExecuted).toBe(false);
    expect(loose.isSkipped).toBe(false);
    expect(loose.result).toBeUndefined();

    const { pipeline } = quietPipeline("Example1");
    const { one, two, three, sum } = example1();
    pipeline.add(one, two, three, sum);
    expect(sum.pipeline).toBe(pipeline);
    await pipeline.execute();
    expect([one, two, three, sum].map((t) => t.result)).toEqual([1, 2, 3, 6]);
    expect(sum.isExecuted).toBe(true);

    // A later process that only reads results sees the stored one.
    const { pipeline: again } = quietPipeline("Example1", { store: pipeline.store });
    const fresh = example1();
    again.add(fresh.one, fresh.two, fresh.three, fresh.sum);
    expect(fresh.sum.result).toBeUndefined();
    expect(await again.getResult(fresh.sum)).toBe(6);
    expect(fresh.sum.result).toBe(6);
  });

  it("findTasks collects the tasks a module exports, once each, arrays included", () => {
    const { one, two, three, sum } = example1();
    const moduleExports = { one, helper: () => 1, list: [two, three, one], sum, name: "x", nothing: null };
    expect(findTasks(moduleExports)).toEqual([one, two, three, sum]);
    const { pipeline } = quietPipeline("P");
    pipeline.add(findTasks(moduleExports));
    expect(pipeline.ntasks).toBe(4);
  });

  it("String(pipeline) names it and counts its tasks", () => {
    const { pipeline } = quietPipeline("Example1");
    expect(String(pipeline)).toBe("Pipeline(Example1, 0 tasks)");
    pipeline.add(task("A", { run: () => 1 }));
    expect(`${pipeline}`).toBe("Pipeline(Example1, 1 task)");
  });

  it("skip and force on the same task: force wins; a plain skip still skips", async () => {
    const { pipeline } = quietPipeline("P");
    let runs = 0;
    pipeline.add(task("A", { run: () => ++runs }), task("B", { run: () => 1 }));
    await pipeline.execute();
    const summary = await pipeline.execute({ skipTasks: ["A", "B"], forceTasks: ["A"] });
    expect(summary.tasks.map((t) => [t.name, t.state])).toEqual([
      ["A", "executed"],
      ["B", "skipped"],
    ]);
    expect(runs).toBe(2);
  });

  it("isComplete: every task executed, cached or skipped by request; not after a failure or an interruption", async () => {
    const { pipeline } = quietPipeline("P");
    let fail = false;
    pipeline.add(
      task("A", { run: () => 1 }),
      task("B", {
        dependencies: ["A"],
        run() {
          if (fail) throw new Error("boom");
          return 2;
        },
      }),
    );
    expect(pipeline.isComplete).toBe(false);
    await pipeline.execute();
    expect(pipeline.isComplete).toBe(true);
    await pipeline.execute({ skipTasks: ["B"] });
    expect(pipeline.isComplete).toBe(true);
    fail = true;
    await pipeline.execute({ forceTasks: ["B"] });
    expect(pipeline.isComplete).toBe(false);
    const controller = new AbortController();
    controller.abort();
    await pipeline.execute({ signal: controller.signal });
    expect(pipeline.isComplete).toBe(false);
  });

  it("pipeline.logDir is the logger's folder for the pipeline, when it writes files", () => {
    const { pipeline } = quietPipeline("P");
    expect(pipeline.logDir).toBeUndefined();
    const events: RunEvent[] = [];
    pipeline.logger = { forTask: () => pipeline.logger.forTask("x", "P"), event: (e) => events.push(e), logDir: (name) => `/logs/${name}` };
    expect(pipeline.logDir).toBe("/logs/P");
  });
});

/** A provider that records every line and event, in order, as text. */
function recordingProvider(implementExtras: boolean) {
  const lines: string[] = [];
  const logger = (task: string): Logger => {
    const at = (kind: string) => (m: string) => lines.push(`${task} ${kind} ${m}`);
    const base: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), perf: (m) => lines.push(`${task} perf ${m}`) };
    return implementExtras ? { ...base, success: at("success"), critical: at("critical"), trace: at("trace") } : base;
  };
  const provider: LoggerProvider = {
    forTask: (task) => logger(task),
    event: (e) => {
      if (e.type === "task:start") lines.push(`${e.task} EXEC`);
      if (e.type === "task:done") lines.push(`${e.task} DONE`);
    },
  };
  return { lines, provider };
}

describe("this.logger has the seed's levels", () => {
  const logsEveryLevel = () =>
    task("T", {
      run() {
        this.logger.success("ok");
        this.logger.warning("careful");
        this.logger.critical("bad");
        this.logger.trace("fine");
        this.logger.log("SUCCESS", "by name");
        this.logger.log("warning", "by loguru name");
        return 1;
      },
    });

  it("uses a provider's own success/critical/trace", async () => {
    const { lines, provider } = recordingProvider(true);
    const { pipeline } = quietPipeline("P", { logger: provider });
    pipeline.add(logsEveryLevel());
    expect((await pipeline.execute()).ok).toBe(true);
    expect(lines).toEqual(["T EXEC", "T success ok", "T warn careful", "T critical bad", "T trace fine", "T success by name", "T warn by loguru name", "T DONE"]);
  });

  it("falls back to the nearest required level when a provider has only the five", async () => {
    const { lines, provider } = recordingProvider(false);
    const { pipeline } = quietPipeline("P", { logger: provider });
    pipeline.add(logsEveryLevel());
    expect((await pipeline.execute()).ok).toBe(true);
    expect(lines).toEqual(["T EXEC", "T info ok", "T warn careful", "T error bad", "T debug fine", "T info by name", "T warn by loguru name", "T DONE"]);
  });

  it("log() with an unknown level fails the task naming the valid levels", async () => {
    const { pipeline } = quietPipeline("P");
    pipeline.add(
      task("T", {
        run() {
          this.logger.log("verbose", "x");
          return 1;
        },
      }),
    );
    const summary = await pipeline.execute();
    expect(summary.tasks[0]!.state).toBe("failed");
    expect(summary.tasks[0]!.error?.message).toMatch(/^Task "T": logger\.log\(\): expected `level` to be one of trace, debug, info, success, warn, warning, error, critical, got "verbose"/);
    expect(new InvalidOptionError("a", "b", "c", 1)).toBeInstanceOf(Error);
  });

  it("task.logger works outside a run, with the same levels", () => {
    const { lines, provider } = recordingProvider(false);
    const { pipeline } = quietPipeline("P", { logger: provider });
    const t = task("T", { run: () => 1 });
    pipeline.add(t);
    t.logger.success("from outside");
    expect(lines).toEqual(["T info from outside"]);
  });
});

/** A store whose save of one key waits until released, like a slow disk sync. */
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

describe("run output order", () => {
  it("a task's own lines come after its EXEC line and its upstream's DONE, though it started while the upstream saved", async () => {
    const store = new SlowStore("Up");
    const { lines, provider } = recordingProvider(true);
    const { pipeline } = quietPipeline("P", { store, logger: provider });
    pipeline.add(
      task("Up", {
        run() {
          this.logger.info("up working");
          return 20;
        },
      }),
      task("Down", {
        dependencies: ["Up"],
        async run() {
          this.logger.info("down started");
          const up = await this.result<number>("Up");
          this.logger.success("down has its input");
          store.release();
          return up + 1;
        },
      }),
    );
    expect((await pipeline.execute()).ok).toBe(true);
    expect(lines).toEqual(["Up EXEC", "Up info up working", "Up DONE", "Down EXEC", "Down info down started", "Down success down has its input", "Down DONE"]);
  });
});
