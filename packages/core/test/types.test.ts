import { describe, expectTypeOf, it } from "vitest";
import { Pipeline, Task, type TaskContext, task } from "../src/index.js";

describe("types", () => {
  it("typed processes know each other's signatures and the task's result type", () => {
    const two = task("TaskTwo", {
      processes: {
        extract() {
          return 1;
        },
        transform(ext: number) {
          return `${ext + 1}`;
        },
        async run() {
          const raw: number = this.extract();
          // @ts-expect-error extract returns a number, not a string
          const wrong: string = this.extract();
          // @ts-expect-error transform takes a number
          this.transform("1");
          this.logger.info(`${wrong}`);
          return this.transform(raw);
        },
      },
    });
    expectTypeOf(two).toEqualTypeOf<Task<string>>();
    const single = task("One", { run: () => [1, 2] });
    expectTypeOf(single).toEqualTypeOf<Task<number[]>>();
    const method = task("Method", {
      async run() {
        this.logger.info("method form");
        return [1, 2, 3];
      },
    });
    expectTypeOf(method).toEqualTypeOf<Task<number[]>>();
    // A process map needs a run; the compiler says so before validate() would.
    const typesOnly = () =>
      // @ts-expect-error Property 'run' is missing
      task("NoRun", { processes: { helper() { return 1; } } });
    expectTypeOf(typesOnly).toBeFunction();
  });

  it("getResult and this.result are typed by the task", () => {
    const one = task("One", { run: async () => ({ n: 1 }) });
    const pipeline = new Pipeline("P").add(one);
    // Compile-time only: these calls are never made.
    const typesOnly = () => {
      expectTypeOf(pipeline.getResult(one)).toEqualTypeOf<Promise<{ n: number }>>();
      expectTypeOf(pipeline.getResult("One")).toEqualTypeOf<Promise<unknown>>();
      expectTypeOf(pipeline.getResult<number>("One")).toEqualTypeOf<Promise<number>>();
    };
    expectTypeOf(typesOnly).toBeFunction();
    task("Two", {
      dependencies: [one],
      async run() {
        expectTypeOf(this.result(one)).toEqualTypeOf<Promise<{ n: number }>>();
        return 0;
      },
    });
  });

  it("seed-form processes see the task handle as this", () => {
    const t = new Task<number>("T");
    t.process(function run() {
      expectTypeOf(this).toMatchTypeOf<TaskContext<number>>();
      expectTypeOf(this.signal).toEqualTypeOf<AbortSignal>();
      return this.extract();
    });
  });
});
