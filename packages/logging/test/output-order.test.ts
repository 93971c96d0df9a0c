import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryStore, Pipeline, type ResultMeta, Task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { capture, example1, masked, tempDir } from "./fixtures.js";

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

const stamp = (line: string) => line.slice(0, 23);

describe("run output order and labels", () => {
  it("a dependent's lines follow its EXEC and its upstream's DONE, on the console and in time order in its file", async () => {
    const dir = tempDir();
    const out = capture();
    const store = new SlowStore("Up");
    const up = new Task("Up", {
      codeHash: false,
      run() {
        this.logger.info("up working");
        return 20;
      },
    });
    const down = new Task("Down", {
      codeHash: false,
      dependencies: ["Up"],
      processes: {
        async run() {
          this.logger.info("down started");
          const value = await this.result<number>("Up");
          await new Promise((r) => setTimeout(r, 20));
          this.logger.success("down has its input");
          store.release();
          await new Promise((r) => setTimeout(r, 20));
          return value + 1;
        },
      },
    });
    const logger = createLogger({ stream: out, logDir: dir, env: {}, level: "perf" });
    const summary = await new Pipeline("P", { logger, store }).add(up, down).execute();
    expect(summary.ok).toBe(true);
    const lines = masked(out.lines).filter((l) => !l.startsWith("Starting") && !l.startsWith("Pipeline"));
    expect(lines).toEqual([
      "Up                 : EXEC : Running...",
      "Up                 : INFO : up working",
      "Up                 : PERF : run finished (in <t>)",
      "Up                 : DONE : (in <t>)",
      "Down               : EXEC : Running...",
      "Down               : INFO : down started",
      "Down               : SUCCESS : down has its input",
      "Down               : PERF : run finished (in <t>)",
      "Down               : DONE : (in <t>)",
    ]);
    const file = readFileSync(join(dir, "Down.log"), "utf8").trimEnd().split("\n");
    expect(file.map((l) => l.split(" | ")[1]!.trim())).toEqual(["EXEC", "DEBUG", "INFO", "SUCCESS", "PERF", "DONE"]);
    const stamps = file.map(stamp);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it("labels a user's error() ERROR and critical() CRITICAL; FAIL is the task's outcome", async () => {
    const out = capture();
    const t = new Task("T", {
      codeHash: false,
      run() {
        this.logger.error("row 3 is malformed");
        this.logger.critical("giving up");
        this.logger.trace("hidden below debug");
        this.logger.log("success", "by name");
        throw new Error("stopped");
      },
    });
    await new Pipeline("P", { logger: createLogger({ stream: out, logDir: false, env: {} }) }).add(t).execute();
    expect(out.lines.slice(1, 6)).toEqual([
      "T                  : EXEC : Running...",
      "T                  : ERROR : row 3 is malformed",
      "T                  : CRITICAL : giving up",
      "T                  : SUCCESS : by name",
      "T                  : FAIL : stopped",
    ]);
  });

  it("shows where a task failed in the user's code and the path of its full log", async () => {
    const dir = tempDir();
    const out = capture();
    await example1(createLogger({ stream: out, logDir: dir, env: {} }), { failSum: true }).execute();
    const at = out.lines.findIndex((l) => l.startsWith("Sum                : FAIL : cannot add these numbers"));
    expect(out.lines[at + 1]).toMatch(/^ {21}at .*test[/\\]fixtures\.ts:\d+:\d+\)?$/);
    expect(out.lines[at + 2]).toBe(`${" ".repeat(21)}full log: ${join(dir, "Sum.log")}`);
    expect(readFileSync(join(dir, "Sum.log"), "utf8")).toContain("| FAIL  | cannot add these numbers\n    Error: cannot add these numbers\n        at ");
  });

  it("shows each process's time at the default level with processTimings, as the seed did", async () => {
    const out = capture();
    await example1(createLogger({ stream: out, logDir: false, env: {}, processTimings: true })).execute();
    const two = masked(out.lines).filter((l) => l.startsWith("TaskTwo"));
    expect(two).toEqual(["TaskTwo            : EXEC : Running...", "TaskTwo            : DONE : extract (in <t>)", "TaskTwo            : DONE : run (in <t>)", "TaskTwo            : DONE : (in <t>)"]);
    const plain = capture();
    await example1(createLogger({ stream: plain, logDir: false, env: {} })).execute();
    expect(plain.text).not.toContain("extract");
  });

  it("an interrupted run ends with one line that never says complete", async () => {
    const out = capture();
    const controller = new AbortController();
    const slow = new Task("Slow", {
      codeHash: false,
      run() {
        controller.abort();
        return new Promise((r) => setTimeout(r, 50));
      },
    });
    const after = new Task("After", { codeHash: false, dependencies: ["Slow"], run: () => 1 });
    const summary = await new Pipeline("P", { logger: createLogger({ stream: out, logDir: false, env: {} }) }).add(slow, after).execute({ signal: controller.signal, handleSigint: false });
    expect(summary.interrupted).toBe(true);
    const end = masked(out.lines).filter((l) => l.startsWith("Pipeline"));
    expect(end).toEqual(["Pipeline stopped!  : STOP : Interrupted after <t>; ran 0/2 tasks, cancelled 2; finished results are kept"]);
    expect(out.text).not.toContain("complete");
  });

  it("lines up CJK and emoji task names by display width", async () => {
    const out = capture();
    const tasks = ["データ読込", "🚀 launch", "plain"].map((name) => new Task(name, { codeHash: false, run: () => 1 }));
    await new Pipeline("P", { logger: createLogger({ stream: out, logDir: false, env: {} }) }).add(tasks).execute();
    const execLines = out.lines.filter((l) => l.includes(": EXEC : Running..."));
    expect(execLines).toHaveLength(3);
    // Every " : EXEC" starts at the same terminal column.
    const { default: stringWidth } = await import("string-width");
    const columns = execLines.map((l) => stringWidth(l.slice(0, l.indexOf(" : EXEC"))));
    expect(new Set(columns).size).toBe(1);
  });
});
