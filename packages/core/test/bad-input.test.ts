import { describe, expect, it } from "vitest";
import { MemoryStore, Pipeline, Task, silentLogger, task } from "../src/index.js";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error("did not throw");
};

describe("bad input gets an LP_ error naming the task or option", () => {
  it("task options: not an object, a misspelled key, dependencies that are not an array, a serializer that is not one", () => {
    expect(code(() => task("X", null as never))).toMatchObject({ code: "LP_INVALID_OPTION", message: expect.stringContaining('Task "X"') });
    expect(code(() => new Task("X", { dependecies: ["A"] } as never))).toMatchObject({
      code: "LP_UNKNOWN_OPTION",
      message: expect.stringContaining("Did you mean `dependencies`?"),
    });
    expect(code(() => new Task("X", { dependencies: "A" as never }))).toMatchObject({ code: "LP_INVALID_OPTION", message: expect.stringContaining("`dependencies`") });
    expect(code(() => new Task("X", { serializer: {} as never }))).toMatchObject({ code: "LP_INVALID_OPTION", message: expect.stringContaining("`serializer`") });
  });

  it("a task name too long to store is refused when the task is made", () => {
    expect(code(() => new Task("x".repeat(70_000)))).toMatchObject({ code: "LP_INVALID_OPTION", message: expect.stringContaining("at most 1024 characters") });
  });

  it("the task name __proto__ is refused when the task is made, and a dependency on it is a missing task", async () => {
    for (const make of [() => new Task("__proto__"), () => task("__proto__", { run: () => 1 })]) {
      expect(code(make)).toEqual({
        code: "LP_INVALID_OPTION",
        message: 'new Task(): "__proto__" cannot be a task name: JavaScript objects reserve it for their prototype. Rename the task.',
      });
    }
    const pipeline = new Pipeline("P", { store: new MemoryStore(), logger: silentLogger() }).add(task("B", { dependencies: ["__proto__"], run: () => 1 }));
    await expect(pipeline.execute()).rejects.toMatchObject({
      code: "LP_INVALID_PIPELINE",
      errors: [
        {
          code: "LP_MISSING_DEPENDENCY",
          task: "B",
          dependency: "__proto__",
          message: 'Task "B" depends on "__proto__", which is not in the pipeline. No task can have that name (JavaScript objects reserve it); remove it from the dependencies.',
        },
      ],
    });
  });

  it("tasks named like other members of Object.prototype keep their results apart: dependents see each change", async () => {
    const names = ["constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
    const store = new MemoryStore();
    const run = async (values: Record<string, number>, forceTasks: string[] = []) => {
      const pipeline = new Pipeline("P", { store, logger: silentLogger() }).add(
        ...names.map((name) => task(name, { run: () => values[name] })),
        task("Uses", { dependencies: names, async run() {
          return Promise.all(names.map((name) => this.result<number>(name)));
        } }),
      );
      const summary = await pipeline.execute({ forceTasks });
      const uses = summary.tasks.find((t) => t.name === "Uses")!;
      return { state: uses.state, result: await pipeline.getResult<number[]>("Uses") };
    };
    const values = Object.fromEntries(names.map((name, i) => [name, i]));
    expect(await run(values)).toEqual({ state: "executed", result: [0, 1, 2, 3, 4] });
    expect((await run(values)).state).toBe("cached");
    for (const name of names) {
      values[name] = values[name]! + 10;
      // Run again by force: its new result is what makes its dependent run again.
      expect(await run(values, [name]), name).toEqual({ state: "executed", result: names.map((n) => values[n]) });
    }
  });

  it("pipeline and execute options: unknown keys, a store that is not one, a signal that is not one", async () => {
    expect(code(() => new Pipeline("P", { concurency: 2 } as never))).toMatchObject({ code: "LP_UNKNOWN_OPTION", message: expect.stringContaining("`concurrency`") });
    expect(code(() => new Pipeline("P", { store: 42 as never }))).toMatchObject({ code: "LP_INVALID_OPTION", message: expect.stringContaining("`store`") });
    const pipeline = new Pipeline("P", { store: new MemoryStore(), logger: silentLogger() }).add(task("A", { run: () => 1 }));
    await expect(pipeline.execute({ signal: "x" as never })).rejects.toMatchObject({ code: "LP_INVALID_OPTION", message: expect.stringContaining("`signal`") });
    await expect(pipeline.execute({ forse: true } as never)).rejects.toMatchObject({ code: "LP_UNKNOWN_OPTION", message: expect.stringContaining("`force`") });
    await expect(pipeline.getResult(undefined as never)).rejects.toMatchObject({ code: "LP_INVALID_OPTION" });
  });

  it("a value thrown that is not an Error is described, not shown as undefined or [object Object]", async () => {
    const pipeline = new Pipeline("P", { logger: silentLogger() }).add(
      task("U", { run: () => { throw undefined; } }),
      task("O", { run: () => { throw { reason: "bad row" }; } }),
    );
    const summary = await pipeline.execute();
    const messages = Object.fromEntries(summary.tasks.map((t) => [t.name, t.error?.message]));
    expect(messages.U).toBe('threw undefined, which is not an Error (throw new Error("…") to give a message)');
    expect(messages.O).toContain('threw {"reason":"bad row"}');
  });

  it("a result over 2 GiB fails its task with LP_RESULT_TOO_LARGE, once; the others are stored", async () => {
    // Pages of a zero-filled array are not touched until written: this costs no real memory.
    const huge = { name: "huge", serialize: () => new Uint8Array(2 ** 31), deserialize: () => null };
    const store = new MemoryStore();
    const pipeline = new Pipeline("P", { store, logger: silentLogger() }).add(
      task("Huge", { serializer: huge, retries: 2, run: () => 1 }),
      task("Small", { run: () => 2 }),
    );
    const summary = await pipeline.execute();
    const hugeRecord = summary.tasks.find((t) => t.name === "Huge")!;
    expect(hugeRecord).toMatchObject({ state: "failed", attempts: 1, error: { code: "LP_RESULT_TOO_LARGE" } });
    expect(hugeRecord.error!.message).toContain('Task "Huge"');
    expect(await store.has("Small")).toBe(true);
  });
});

describe("pipeline names", () => {
  it("are checked up front like task names: no line breaks, at most 1024 characters", () => {
    const invalid = (text: string) => expect.objectContaining({ code: "LP_INVALID_OPTION", message: expect.stringContaining(text) });
    expect(() => new Pipeline("a\nb")).toThrow(invalid("without line breaks"));
    expect(() => new Pipeline("x".repeat(1025))).toThrow(invalid("at most 1024 characters"));
    expect(new Pipeline("x".repeat(1024)).name).toHaveLength(1024);
  });
});
