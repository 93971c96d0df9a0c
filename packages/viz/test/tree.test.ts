import { describe, expect, it } from "vitest";
import { InvalidOptionError, Pipeline, Task } from "@lp/core";
import { StateMismatchError, renderTree, vizStates } from "../src/index.js";
import { diamond, MIXED, mixedRun } from "./fixtures.js";

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

describe("renderTree", () => {
  it("draws a diamond from its output down, showing the shared dependency once and marking the repeat", () => {
    expect(renderTree(diamond())).toBe(["D", "├── B", "│   └── A", "└── C", "    └── A (see above)"].join("\n"));
  });

  it("shows each task's state after its name", async () => {
    const pipeline = diamond();
    const summary = await pipeline.execute({ handleSigint: false });
    expect(renderTree(pipeline, vizStates(summary))).toBe(
      ["D [executed]", "├── B [executed]", "│   └── A [executed]", "└── C [executed]", "    └── A [executed] (see above)"].join("\n"),
    );
  });

  it("starts a tree at every final output and marks dependencies already drawn under an earlier one", async () => {
    const { pipeline, second } = await mixedRun();
    const lines = renderTree(pipeline, vizStates(second)).split("\n");
    const roots = lines.filter((l) => !/^[│├└ ]/.test(l));
    expect(roots.sort()).toEqual([`${MIXED.skipped} [skipped]`, `${MIXED.upstreamFailed} [upstream-failed]`]);
    // "source data" is reached through "broken" and through "clean/rows"; the repeated
    // "broken" is not expanded again, so it shows twice: once in full, once marked.
    expect(lines.filter((l) => l.includes(MIXED.cached))).toHaveLength(2);
    expect(lines.filter((l) => l.includes(MIXED.cached) && !l.endsWith("(see above)"))).toHaveLength(1);
    const failed = lines.filter((l) => l.includes(MIXED.failed));
    expect(failed).toHaveLength(2);
    expect(failed.filter((l) => l.endsWith(`${MIXED.failed} [failed] (see above)`))).toHaveLength(1);
  });

  it("colours states with ANSI only when asked", async () => {
    const pipeline = diamond();
    const states = vizStates(await pipeline.execute({ handleSigint: false }));
    const plain = renderTree(pipeline, states);
    const coloured = renderTree(pipeline, states, { color: true });
    expect(plain).not.toContain("\u001b[");
    expect(coloured).toContain("\u001b[32m[executed]\u001b[0m");
    expect(coloured).toContain("\u001b[2m(see above)\u001b[0m");
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it("prints control characters in names as escapes, so a name cannot drive the terminal", () => {
    const p = new Pipeline("P").add(new Task("evil\u001b[2Jname\u0007", { run: () => 1 }));
    expect(renderTree(p)).toBe("evil\\u001b[2Jname\\u0007");
  });

  it("says when there is nothing to draw", () => {
    expect(renderTree(new Pipeline("Empty"))).toBe("(no tasks)");
  });

  it("rejects a non-boolean colour and states of another pipeline", () => {
    expect(() => renderTree(diamond(), undefined, { color: "yes" as unknown as boolean })).toThrow(InvalidOptionError);
    expect(() => renderTree(diamond(), undefined, { color: "yes" as unknown as boolean })).toThrow("renderTree(): expected `color` to be true or false");
    expect(() => renderTree(diamond(), new Map([["Z", "cached"]]))).toThrow(StateMismatchError);
  });
});
