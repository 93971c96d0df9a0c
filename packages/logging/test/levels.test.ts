import { describe, expect, it } from "vitest";
import { createLogger, parseLevel } from "../src/index.js";
import { capture, example1, masked } from "./fixtures.js";

describe("levels", () => {
  it("parses level names in any case, with the seed's aliases", () => {
    expect(parseLevel("PERF")).toBe("perf");
    expect(parseLevel(" Debug ")).toBe("debug");
    expect(parseLevel("WARNING")).toBe("warn");
    expect(parseLevel("TRACE")).toBe("debug");
    expect(parseLevel("critical")).toBe("error");
  });

  it("rejects an unknown level, naming what it accepts", () => {
    expect(() => parseLevel("loud", "log", "LEVEL")).toThrow(
      'log: expected `LEVEL` to be one of silent, error, warn, info, perf, debug, got "loud".',
    );
  });

  it("takes the level from LP_LOG_LEVEL unless the option is given", async () => {
    expect(createLogger({ stream: capture(), env: { LP_LOG_LEVEL: "PERF" } }).level).toBe("perf");
    expect(createLogger({ stream: capture(), env: { LP_LOG_LEVEL: "PERF" }, level: "warn" }).level).toBe("warn");
    expect(createLogger({ stream: capture(), env: {} }).level).toBe("info");
    expect(() => createLogger({ stream: capture(), env: { LP_LOG_LEVEL: "chatty" } })).toThrow(/expected `LP_LOG_LEVEL` to be one of/);
  });

  it("shows only failures at the error level", async () => {
    const out = capture();
    await example1(createLogger({ stream: out, logDir: false, env: {}, level: "error" }), { failSum: true }).execute();
    expect(masked(out.lines)).toEqual([
      "Sum                : FAIL : cannot add these numbers",
      expect.stringMatching(/^ {21}at /),
      "Pipeline failed!   : FAIL : Ran 3/4 tasks in <t>; failed 1 (Sum)",
    ]);
  });

  it("changes level at run time, for task loggers already handed out", () => {
    const out = capture();
    const logger = createLogger({ stream: out, logDir: false, env: {} });
    const task = logger.forTask("TaskOne", "P");
    task.debug("hidden");
    logger.setLevel("DEBUG");
    task.debug("shown %s", "now");
    logger.quiet();
    task.error("silenced");
    logger.setLevel("info");
    task.info("back");
    expect(out.lines).toEqual(["TaskOne : DEBUG : shown now", "TaskOne : INFO : back"]);
    expect(() => logger.setLevel("nope")).toThrow(/setLevel\(\): expected `level`/);
  });

  it("formats arguments like console.log and never throws into the task", () => {
    const out = capture();
    const task = createLogger({ stream: out, logDir: false, env: {} }).forTask("T", "P");
    task.info("rows: %d, file: %s", 12, "a.csv", { extra: true });
    const hostile = { [Symbol.for("nodejs.util.inspect.custom")]: () => { throw new Error("no inspect"); } };
    expect(() => task.warn("value", hostile)).not.toThrow();
    expect(out.lines).toEqual(["T : INFO : rows: 12, file: a.csv { extra: true }", "T : WARN : value [unprintable value: no inspect]"]);
  });

  it("logs a perf line without a duration when it is not a number", () => {
    const out = capture();
    const task = createLogger({ stream: out, logDir: false, env: {}, level: "perf" }).forTask("T", "P");
    task.perf("step", Number.NaN);
    task.perf("load", 1234);
    expect(out.lines).toEqual(["T : PERF : step", "T : PERF : load (in 0:01.23)"]);
  });

  it("does not let a broken stream fail a run", async () => {
    const stream = {
      write() {
        throw new Error("EPIPE");
      },
    };
    const summary = await example1(createLogger({ stream, logDir: false, env: {} })).execute();
    expect(summary.ok).toBe(true);
  });

  it("does not drop repeated identical lines", () => {
    const out = capture();
    const task = createLogger({ stream: out, logDir: false, env: {} }).forTask("T", "P");
    for (let i = 0; i < 20; i++) task.info("same");
    expect(out.lines).toHaveLength(20);
  });
});
