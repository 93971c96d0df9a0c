import { plainLogger, type LoggerProvider, type RunEvent } from "@lp/core";
import { describe, expect, it } from "vitest";
import { UsageError } from "../src/index.js";
import { LevelControl, parseLevel } from "../src/shell/levels.js";

const start: RunEvent = { type: "run:start", pipeline: "P", tasks: ["A"], at: 0 };
const warn: RunEvent = { type: "warn", message: "careful", task: "A", at: 0 };

/** A plain provider printing into an array, as core's plain logger does. */
function recording(): { provider: LoggerProvider; lines: string[] } {
  const lines: string[] = [];
  return { provider: plainLogger((l) => lines.push(l)), lines };
}

describe("parseLevel", () => {
  it("accepts level names in any case and common spellings", () => {
    expect(parseLevel("DEBUG")).toBe("debug");
    expect(parseLevel("Warning")).toBe("warn");
    expect(parseLevel("off")).toBe("silent");
    expect(parseLevel(" PERF ")).toBe("perf");
    expect(() => parseLevel("loud")).toThrow(UsageError);
  });
});

describe("LevelControl", () => {
  it("asks a provider with setLevel() and quiet() to change, keeping it in place", () => {
    const calls: string[] = [];
    const provider = { ...recording().provider, setLevel: (l: string) => calls.push(`setLevel ${l}`), quiet: () => calls.push("quiet") };
    const target = { logger: provider as LoggerProvider };
    const control = new LevelControl(target);
    control.set("debug");
    control.set("silent");
    control.set("info");
    expect(calls).toEqual(["setLevel debug", "quiet", "setLevel info"]);
    expect(target.logger).toBe(provider);
    expect(control.level).toBe("info");
  });

  it("lets process timings through at perf and debug only", () => {
    const perf: string[] = [];
    const base: LoggerProvider = {
      forTask: () => ({ debug() {}, info() {}, warn() {}, error() {}, perf: (m) => perf.push(m) }),
      event() {},
    };
    const target = { logger: base };
    const control = new LevelControl(target);
    control.set("warn");
    target.logger.forTask("A", "P").perf("run finished", 5);
    control.set("perf");
    target.logger.forTask("A", "P").perf("run finished", 5);
    expect(perf).toEqual(["run finished"]);
  });

  it("filters a provider without setLevel(), swaps in a silent one for quiet, and restores it for info", () => {
    const { provider, lines } = recording();
    const target = { logger: provider };
    const control = new LevelControl(target);

    control.set("warn");
    target.logger.event(start);
    target.logger.event(warn);
    target.logger.forTask("A", "P").info("hidden");
    target.logger.forTask("A", "P").warn("shown");
    expect(lines).toEqual([expect.stringMatching(/A\s+: WARN : careful/), expect.stringMatching(/A : WARN : shown/)]);

    control.set("silent");
    target.logger.event(warn);
    target.logger.forTask("A", "P").error("nothing");
    expect(lines).toHaveLength(2);

    control.set("info");
    expect(target.logger).toBe(provider);
    target.logger.event(start);
    expect(lines).toHaveLength(3);
  });
});
