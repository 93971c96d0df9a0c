import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type AttemptRequest,
  type AttemptResult,
  type Executor,
  LpError,
  type Task,
  inProcessExecutor,
  task,
} from "../src/index.js";
import { errorFromWire, errorToWire, readStored, runTaskAttempt } from "../src/internal.js";
import { quietPipeline, sleep } from "./helpers.js";

/**
 * An executor that behaves like a process elsewhere: it receives only the attempt's
 * identity (cloned, as a message would be), finds the task in its own copy of the
 * source, and sends back bytes and wire errors.
 */
class FarExecutor implements Executor {
  readonly name = "far";
  readonly identities: AttemptRequest["identity"][] = [];
  running = 0;
  peak = 0;
  closed = false;
  constructor(
    readonly tasks: Map<string, Task<unknown>>,
    readonly capacity?: number,
  ) {}

  async run(request: AttemptRequest): Promise<AttemptResult> {
    const identity = structuredClone(request.identity);
    this.identities.push(identity);
    const own = this.tasks.get(identity.task)!;
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      const read = async (name: string) => {
        const bytes = structuredClone(await request.readResult(name));
        return readStored(request.pipeline, name, bytes.body, bytes.serializer);
      };
      const result = await runTaskAttempt(own, { ...request, pipeline: request.pipeline, attempt: identity.attempt, readResult: read });
      await sleep(5);
      const { value: _kept, ...sent } = result;
      return structuredClone(sent);
    } catch (error) {
      throw errorFromWire(structuredClone(errorToWire(error)));
    } finally {
      this.running--;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

describe("the executor contract", () => {
  it("hands an executor the task's identity as plain data and stores the bytes it returns", async () => {
    const up = task("Up", { run: () => [1, 2, 3] });
    const down = task("Down", {
      dependencies: [up],
      async run() {
        return (await this.result(up)).map((n) => n * 10);
      },
    });
    const far = new FarExecutor(new Map<string, Task<unknown>>([["Up", up], ["Down", down]]));
    const { pipeline } = quietPipeline("Far", { executor: far });
    pipeline.add(up, down);
    const summary = await pipeline.execute();
    expect(summary.ok).toBe(true);
    expect(await pipeline.getResult(down)).toEqual([10, 20, 30]);
    expect(far.identities).toEqual([
      { pipeline: "Far", task: "Up", module: fileURLToPath(import.meta.url), codeDigest: up.codeDigest(), attempt: 1 },
      { pipeline: "Far", task: "Down", module: fileURLToPath(import.meta.url), codeDigest: down.codeDigest(), attempt: 1 },
    ]);
    expect(summary.tasks.find((t) => t.name === "Down")!.resultType).toBe("Array(3)");
    expect(far.closed).toBe(false); // passed in: the caller's to close
  });

  it("keeps retries in the scheduler; an error marked retryable: false is not retried", async () => {
    let flaky = 0;
    let fatal = 0;
    const tasks = [
      task("Flaky", {
        retries: { count: 2, delayMs: 1 },
        run() {
          if (++flaky < 3) throw new TypeError(`try ${flaky}`);
          return flaky;
        },
      }),
      task("Fatal", {
        retries: { count: 3, delayMs: 1 },
        run() {
          fatal++;
          throw Object.assign(new LpError("LP_CUSTOM", "cannot work here"), { retryable: false });
        },
      }),
    ];
    const far = new FarExecutor(new Map(tasks.map((t) => [t.name, t as Task<unknown>])));
    const { pipeline } = quietPipeline("Retry", { executor: far });
    pipeline.add(tasks);
    const summary = await pipeline.execute();
    const byName = Object.fromEntries(summary.tasks.map((t) => [t.name, t]));
    expect(byName.Flaky).toMatchObject({ state: "executed", attempts: 3 });
    expect(far.identities.filter((i) => i.task === "Flaky").map((i) => i.attempt)).toEqual([1, 2, 3]);
    expect(byName.Fatal).toMatchObject({ state: "failed", attempts: 1, error: { code: "LP_CUSTOM", message: "cannot work here" } });
    expect(fatal).toBe(1);
  });

  it("a value thrown that is no Error has no stack, in-process and across a thread or the network alike", async () => {
    const make = () =>
      task("Str", {
        run() {
          throw "plain string";
        },
      });
    const here = quietPipeline("StrHere").pipeline.add(make());
    const inProcess = (await here.execute()).tasks[0]!.error;
    const str = make();
    const { pipeline } = quietPipeline("StrFar", { executor: new FarExecutor(new Map([["Str", str as Task<unknown>]])) });
    const far = (await pipeline.add(str).execute()).tasks[0]!.error;
    expect(inProcess).toMatchObject({ name: "Error", message: "plain string" });
    expect(inProcess?.stack).toBeUndefined();
    expect(far).toEqual(inProcess);
    expect(far?.stack).toBeUndefined();
    // As a distributed worker sends it: JSON over Redis.
    const overJson = errorFromWire(JSON.parse(JSON.stringify(errorToWire("plain string"))));
    expect(overJson.message).toBe("plain string");
    expect(overJson.stack).toBeUndefined();
    // An Error keeps the stack of where it was thrown.
    const thrown = new TypeError("bad");
    expect(errorFromWire(JSON.parse(JSON.stringify(errorToWire(thrown)))).stack).toBe(thrown.stack);
  });

  it("never runs more attempts at once than the executor's capacity", async () => {
    const tasks = Array.from({ length: 6 }, (_, i) => task(`T${i}`, { run: () => i }));
    const far = new FarExecutor(new Map(tasks.map((t) => [t.name, t as Task<unknown>])), 2);
    const { pipeline } = quietPipeline("Capacity", { executor: far, concurrency: 8 });
    pipeline.add(tasks);
    expect((await pipeline.execute()).totals.executed).toBe(6);
    expect(far.peak).toBe(2);
  });

  it('runs runIn: "main" tasks in process, whatever the executor', async () => {
    const here = task("Here", { runIn: "main", run: () => "main" });
    const far = new FarExecutor(new Map());
    const { pipeline } = quietPipeline("Main");
    pipeline.add(here);
    await pipeline.execute({ executor: far });
    expect(await pipeline.getResult(here)).toBe("main");
    expect(far.identities).toEqual([]);
  });

  it('makes a named executor per run and closes it after; "threads" needs a maker', async () => {
    const made: FarExecutor[] = [];
    const t = task("T", { run: () => 1 });
    const { pipeline } = quietPipeline("Named", {
      executors: {
        threads: () => {
          const far = new FarExecutor(new Map([["T", t as Task<unknown>]]));
          made.push(far);
          return far;
        },
      },
    });
    pipeline.add(t);
    await pipeline.execute({ executor: "threads", force: true });
    expect(made).toHaveLength(1);
    expect(made[0]!.identities).toHaveLength(1);
    expect(made[0]!.closed).toBe(true);

    const { pipeline: bare } = quietPipeline("Bare");
    bare.add(task("U", { run: () => 1 }));
    await expect(bare.execute({ executor: "threads" })).rejects.toMatchObject({
      code: "LP_INVALID_OPTION",
      message: expect.stringContaining('use Pipeline from "little-pipelines", or pass threadsExecutor() from "@lp/threads"'),
    });
    await expect(bare.execute({ executor: "gpu" as never })).rejects.toMatchObject({ code: "LP_INVALID_OPTION" });
  });

  it("rejects a bad runIn, naming the task", () => {
    expect(() => task("X", { runIn: "worker" as never, run: () => 1 })).toThrow(/Task "X": expected `runIn` to be "any" or "main", got "worker"/);
  });

  it("the in-process executor is the default", async () => {
    const { pipeline } = quietPipeline("Default");
    expect(inProcessExecutor.name).toBe("in-process");
    pipeline.add(task("T", { run: () => 5 }));
    await pipeline.execute();
    expect(await pipeline.getResult("T")).toBe(5);
  });
});

describe("errors as plain data", () => {
  it("keep their class name, message, code and stack across a clone", () => {
    class ParseError extends Error {
      code = "E_PARSE";
      override name = "ParseError";
    }
    const original = new ParseError("bad row", { cause: new RangeError("col 3") });
    const back = errorFromWire(structuredClone(errorToWire(original)));
    expect(back).toMatchObject({ name: "ParseError", message: "bad row", code: "E_PARSE", stack: original.stack });
    expect(back.cause).toBeInstanceOf(RangeError);
    const lp = errorFromWire(errorToWire(new LpError("LP_TIMEOUT", "too slow")));
    expect(lp).toBeInstanceOf(LpError);
    expect(lp).toMatchObject({ code: "LP_TIMEOUT", name: "LpError" });
    expect(errorFromWire(errorToWire("just a string"))).toMatchObject({ name: "Error", message: "just a string" });
  });
});
