import type { PipelineOptions } from "@lp/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type LoggerOptions, createLogger } from "../src/index.js";
import { capture } from "./fixtures.js";

const bad: [string, LoggerOptions, RegExp][] = [
  ["format", { format: "xml" as "json" }, /expected `format` to be "pretty" or "json", got "xml"/],
  ["level", { level: "loud" }, /expected `level` to be one of silent, error, warn, info, perf, debug, got "loud"/],
  ["fileLevel", { fileLevel: 3 as unknown as "info" }, /expected `fileLevel` to be one of/],
  ["rotateBytes", { rotateBytes: 0 }, /expected `rotateBytes` to be a number of bytes above 0 \(or Infinity\), got 0/],
  ["rotateBytes", { rotateBytes: 10.5 }, /expected `rotateBytes` to be a whole number of bytes/],
  ["retainDays", { retainDays: -1 }, /expected `retainDays` to be a number of days above 0/],
  ["logDir", { logDir: "" }, /expected `logDir` to be a folder path, a function of the pipeline name, or false, got ""/],
  ["stream", { stream: {} as never }, /expected `stream` to be a writable stream/],
  ["color", { color: "yes" as never }, /expected `color` to be true or false, got "yes"/],
  ["progressIntervalMs", { progressIntervalMs: -5 }, /expected `progressIntervalMs` to be a number of milliseconds from 0 up/],
];

describe("options", () => {
  it.each(bad)("rejects a bad %s at once, naming it", (_name, options, message) => {
    expect(() => createLogger({ env: {}, ...options })).toThrow(message);
    expect(() => createLogger({ env: {}, ...options })).toThrow(expect.objectContaining({ code: "LP_INVALID_OPTION" }));
  });

  it("accepts Infinity to turn rotation and retention off", () => {
    expect(() => createLogger({ stream: capture(), env: {}, rotateBytes: Number.POSITIVE_INFINITY, retainDays: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});

describe("types", () => {
  it("is a LoggerProvider a Pipeline accepts", () => {
    type PipelineLogger = NonNullable<PipelineOptions["logger"]>;
    expectTypeOf(createLogger).returns.toExtend<PipelineLogger>();
    expectTypeOf(createLogger).parameter(0).toEqualTypeOf<LoggerOptions | undefined>();
  });
});
