import { describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import { LpError, NotADependencyError, Task, TaskTimeoutError, plainLogger, task } from "../src/index.js";
import * as internal from "../src/internal.js";
import { quietPipeline, sleep } from "./helpers.js";

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe("colour: one rule for every package", () => {
  it.each([
    ["a terminal", tty, {}, true],
    ["a pipe", pipe, {}, false],
    ["NO_COLOR on a terminal", tty, { NO_COLOR: "1" }, false],
    ["an empty NO_COLOR", tty, { NO_COLOR: "" }, true],
    ["FORCE_COLOR on a pipe", pipe, { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR=0", tty, { FORCE_COLOR: "0" }, true],
    ["FORCE_COLOR=0 on a pipe", pipe, { FORCE_COLOR: "0" }, false],
    ["FORCE_COLOR=false on a pipe", pipe, { FORCE_COLOR: "false" }, false],
    ["TERM=dumb on a terminal", tty, { TERM: "dumb" }, false],
    ["FORCE_COLOR beats TERM=dumb", tty, { TERM: "dumb", FORCE_COLOR: "1" }, true],
    ["NO_COLOR beats FORCE_COLOR", pipe, { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
  ])("%s", (_, stream, env, expected) => {
    expect(internal.wantsColor(stream, env)).toBe(expected);
  });
});

describe("log levels: one list of names and aliases", () => {
  it("orders levels from silent to debug, with perf between info and debug", () => {
    expect(internal.LOG_LEVELS).toEqual(["silent", "error", "warn", "info", "perf", "debug"]);
    expect(internal.levelAllows("info", "warn")).toBe(true);
    expect(internal.levelAllows("info", "perf")).toBe(false);
    expect(internal.levelAllows("silent", "error")).toBe(false);
  });

  it("ranks a name inherited from Object below every level, like any unknown name", () => {
    for (const name of ["constructor", "toString", "__proto__", "weird"]) {
      const level = name as internal.LineLevel;
      expect(internal.levelAllows("error", level)).toBe(true);
      expect(internal.levelAllows("debug", level)).toBe(true);
      expect(internal.levelAllows(name as main.LogLevelName, "error")).toBe(false);
    }
  });

  it("reads names in any case and the seed's spellings", () => {
    expect(internal.matchLevel(" WARNING ")).toBe("warn");
    expect(internal.matchLevel("trace")).toBe("debug");
    expect(internal.matchLevel("off")).toBe("silent");
    expect(internal.matchLevel("loud")).toBeUndefined();
    expect(internal.matchLevel(3)).toBeUndefined();
  });
});

describe("retries are decided by error classes", () => {
  it("says which errors would recur", () => {
    expect(internal.isRetryable(new Error("flaky"))).toBe(true);
    expect(internal.isRetryable(new TaskTimeoutError("T", 5))).toBe(true);
    expect(internal.isRetryable(new NotADependencyError("T", "U"))).toBe(false);
    expect(internal.isRetryable("a string")).toBe(true);
  });

  it("does not retry an error class that says it would recur, whatever its code", async () => {
    class Permanent extends LpError {
      constructor() {
        super("LP_PERMANENT", 'Task "T": the input is malformed.', { retryable: false });
      }
    }
    let attempts = 0;
    const { pipeline } = quietPipeline("Retry");
    pipeline.add(
      task("T", {
        retries: { count: 3, delayMs: 1 },
        run() {
          attempts++;
          throw new Permanent();
        },
      }),
    );
    const summary = await pipeline.execute();
    expect(attempts).toBe(1);
    expect(summary.tasks[0]).toMatchObject({ state: "failed", attempts: 1, error: { code: "LP_PERMANENT", name: "Permanent" } });
  });

  it("retries a plain error", async () => {
    let attempts = 0;
    const { pipeline } = quietPipeline("Retry2");
    pipeline.add(
      task("T", {
        retries: { count: 2, delayMs: 1 },
        run() {
          if (++attempts < 3) throw new Error("flaky");
          return attempts;
        },
      }),
    );
    expect((await pipeline.execute()).tasks[0]).toMatchObject({ state: "executed", attempts: 3 });
  });
});

describe("run events: one text for every logger", () => {
  it("shows an interrupted run as stopped, not complete, with what was cancelled", async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const pipeline = new main.Pipeline("Stops", { logger: plainLogger((l) => lines.push(l)) });
    pipeline.add(
      task("Fast", { run: () => 1 }),
      task("Slow", {
        dependencies: ["Fast"],
        async run() {
          controller.abort();
          await sleep(20);
          return 2;
        },
      }),
      task("After", { dependencies: ["Slow"], run: () => 3 }),
    );
    const summary = await pipeline.execute({ signal: controller.signal, handleSigint: false });
    expect(summary.interrupted).toBe(true);
    const last = lines.filter((l) => l.startsWith("Pipeline"));
    expect(last[0]).toMatch(/^Pipeline stopped! +: STOP : Interrupted after \d+:\d\d\.\d\d; ran 1\/3 tasks, cancelled 2; finished results are kept$/);
    expect(lines.some((l) => l.startsWith("Pipeline complete!"))).toBe(false);
  });

  it("gives the same lines to the plain logger as to any other", () => {
    const event = { type: "task:retry", task: "T", attempt: 1, delayMs: 1500, error: new Error("flaky"), at: 0 } as const;
    expect(internal.eventLines(event)).toEqual([
      expect.objectContaining({ level: "warn", kind: "WARN", who: "T", message: "Attempt 1 failed: flaky. Retrying in 0:01.50" }),
    ]);
    const lines: string[] = [];
    const plain = plainLogger((l) => lines.push(l));
    plain.event({ type: "run:start", pipeline: "P", tasks: ["T"], at: 0 });
    plain.event(event);
    expect(lines.at(-1)).toMatch(/^T +: WARN : Attempt 1 failed: flaky\. Retrying in 0:01\.50$/);
  });
});

describe("public surface", () => {
  it("keeps sibling helpers out of the main entry and in @lp/core/internal", () => {
    const siblingOnly = ["formatBytes", "formatDuration", "describeType", "closestName", "digestBytes", "sessionId", "skipCallSitesUnder", "errorMessage", "describeValue", "decideFreshness", "describeReason", "builtinSerializers", "neverExpires"];
    for (const name of siblingOnly) {
      expect(main, name).not.toHaveProperty(name);
      expect(internal, name).toHaveProperty(name);
    }
    for (const name of ["RESERVED_PROCESS_NAMES", "VIZ_STATES", "vizStates", "toMermaid", "writeReport"]) expect(main, name).not.toHaveProperty(name);
  });

  it("exports a class for every error, each extending LpError", () => {
    const classes = Object.entries(main).filter(([name]) => name.endsWith("Error") || name === "DependencyFailure");
    expect(classes.length).toBeGreaterThan(15);
    for (const [name, value] of classes) expect(value === LpError || (value as { prototype: unknown }).prototype instanceof LpError, name).toBe(true);
    expect(new Task("T", { run: () => 1 })).toBeInstanceOf(Task);
  });
});
