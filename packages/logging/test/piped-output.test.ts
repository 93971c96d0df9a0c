import { Pipeline, Task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { capture } from "./fixtures.js";

describe("piped console output", () => {
  it("writes a run's lines in a few batches rather than one write per line", async () => {
    const out = capture(false);
    const tasks = Array.from(
      { length: 200 },
      (_, i) => new Task(`t${i}`, { codeHash: false, dependencies: i ? [`t${i - 1}`] : [], run: () => i }),
    );
    await new Pipeline("Batched", { logger: createLogger({ stream: out, logDir: false, env: {} }) }).add(tasks).execute();

    expect(out.lines).toHaveLength(402); // start, EXEC + DONE per task, closing line
    expect(out.lines.at(-1)).toMatch(/^Pipeline complete! : DONE : Ran 200\/200 tasks in /);
    expect(out.chunks.length).toBeLessThan(out.lines.length / 4);
    // The stream is left as it was found.
    expect(Object.hasOwn(out, "write")).toBe(true);
  });

  it("keeps the order of what a task itself writes to the same stream", async () => {
    const out = capture(false);
    const own = out.write;
    const tasks = ["A", "B", "C"].map(
      (name, i) =>
        new Task(name, {
          codeHash: false,
          dependencies: i ? [["A", "B", "C"][i - 1]!] : [],
          run() {
            out.write(`${name} says hello\n`);
            return i;
          },
        }),
    );
    await new Pipeline("Order", { logger: createLogger({ stream: out, logDir: false, env: {} }) }).add(tasks).execute();

    const lines = out.lines.map((l) => l.replace(/ {2,}/g, " "));
    const at = (text: string) => lines.findIndex((l) => l.startsWith(text));
    for (const name of ["A", "B", "C"]) {
      expect(at(`${name} : EXEC`)).toBeLessThan(at(`${name} says hello`));
      expect(at(`${name} says hello`)).toBeLessThan(at(`${name} : DONE`));
    }
    expect(out.write).toBe(own);
  });

  it("writes at once on a terminal", async () => {
    const out = capture(true);
    const tasks = Array.from({ length: 20 }, (_, i) => new Task(`t${i}`, { codeHash: false, run: () => i }));
    await new Pipeline("Tty", { logger: createLogger({ stream: out, logDir: false, env: {}, progress: false }) }).add(tasks).execute();
    expect(out.chunks.length).toBe(out.lines.length);
  });
});
