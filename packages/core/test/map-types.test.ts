import { describe, expectTypeOf, it } from "vitest";
import { Task, inputFiles, task } from "../src/index.js";

describe("mapped task types", () => {
  it("types this.item from the upstream's element type and the result as an array of run's", () => {
    const rows = task("Rows", { run: () => [{ id: 1, name: "a" }] });
    const names = task("Names", {
      map: rows,
      run() {
        expectTypeOf(this.item).toEqualTypeOf<{ id: number; name: string }>();
        expectTypeOf(this.index).toEqualTypeOf<number>();
        // @ts-expect-error an element has no `missing` field
        this.item.missing;
        return this.item.name.toUpperCase();
      },
    });
    expectTypeOf(names).toEqualTypeOf<Task<string[]>>();

    const lengths = task("Lengths", {
      map: names,
      processes: {
        measure(s: string) {
          return s.length;
        },
        run() {
          expectTypeOf(this.item).toEqualTypeOf<string>();
          return this.measure(this.item);
        },
      },
    });
    expectTypeOf(lengths).toEqualTypeOf<Task<number[]>>();
  });

  it("types this.item as a path for a file map and as unknown for a map by name", () => {
    const files = task("Files", {
      map: inputFiles("data/*.csv"),
      async run() {
        expectTypeOf(this.item).toEqualTypeOf<string>();
        return this.item.length;
      },
    });
    expectTypeOf(files).toEqualTypeOf<Task<number[]>>();
    const byName = task("ByName", {
      map: "Files",
      run() {
        expectTypeOf(this.item).toEqualTypeOf<unknown>();
        return 1;
      },
    });
    expectTypeOf(byName).toEqualTypeOf<Task<number[]>>();
  });

  it("makes a mapped task without run a compile-time error", () => {
    const rows = task("Rows", { run: () => [1, 2] });
    // Compile-time only: these calls are never made.
    const typesOnly = () => {
      // @ts-expect-error a mapped task needs run
      task("NoRun", { map: "Files" });
      // @ts-expect-error whatever it maps over: a task …
      task("NoRunOverTask", { map: rows });
      // @ts-expect-error … or files
      task("NoRunOverFiles", { map: inputFiles("data/*.csv"), retries: 2 });
      // @ts-expect-error run must be a function
      task("RunNotAFunction", { map: rows, run: 1 });
      // @ts-expect-error processes without run, mapped by name …
      task("HelperOnly", { map: "Files", processes: { helper() {} } });
      // @ts-expect-error … over a task, with a helper that uses this.item …
      task("HelperOverTask", { map: rows, processes: { helper() { return this.item; } } });
      // @ts-expect-error … or over files
      task("HelperOverFiles", { map: inputFiles("data/*.csv"), processes: { helper: (n: number) => n } });
      // With run, the same shapes compile and keep this.item typed.
      const ok = task("WithRun", {
        map: rows,
        run() {
          expectTypeOf(this.item).toEqualTypeOf<number>();
          return String(this.item);
        },
      });
      expectTypeOf(ok).toEqualTypeOf<Task<string[]>>();
      // Processes with run beside helpers: both see this.item and each other.
      const withHelper = task("WithHelper", {
        map: rows,
        processes: {
          twice(n: number) {
            return n * 2;
          },
          label() {
            return `#${this.index}`;
          },
          run() {
            expectTypeOf(this.item).toEqualTypeOf<number>();
            return { label: this.label(), value: this.twice(this.item) };
          },
        },
      });
      expectTypeOf(withHelper).toEqualTypeOf<Task<{ label: string; value: number }[]>>();
    };
    expectTypeOf(typesOnly).toBeFunction();
  });

  it("does not offer this.item to a task that is not mapped", () => {
    task("Plain", {
      run() {
        // @ts-expect-error only mapped tasks have an item
        return this.item;
      },
    });
    // Seed-form tasks look processes up at run time: this.item is there, untyped.
    new Task("Seed", {
      map: "Files",
      run() {
        return this.item;
      },
    });
  });
});
