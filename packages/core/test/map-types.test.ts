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
