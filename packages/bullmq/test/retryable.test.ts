import * as core from "@lp/core";
import * as redis from "@lp/redis";
import { describe, expect, it } from "vitest";
import * as bullmq from "../src/index.js";

/** Every error class the distributed packages export, with whether a retry may fix it. */
const EXPECTED: Record<string, [retryable: boolean, make: () => core.LpError]> = {
  VersionSkewError: [false, () => new bullmq.VersionSkewError("T", "w1", "abc", "def")],
  WorkerLostError: [true, () => new bullmq.WorkerLostError("T", 1, "stalled")],
  RedisUnreachableError: [true, () => new redis.RedisUnreachableError("redis://127.0.0.1:1", "connection refused")],
};

describe("retryable is decided by error class", () => {
  const classes = new Map<string, unknown>();
  for (const mod of [redis, bullmq]) {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "function" && value.prototype instanceof core.LpError) classes.set(name, value);
    }
  }

  it("lists every exported error class, so a new class must be decided", () => {
    expect([...classes.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s", (name, [retryable, make]) => {
    const error = make();
    expect(error).toBeInstanceOf(classes.get(name) as new () => unknown);
    expect(error.retryable).toBe(retryable);
  });
});
