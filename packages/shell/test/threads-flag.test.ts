import { describe, expect, it } from "vitest";
import { takeThreadsFlag } from "../src/cli/threads-flag.js";

describe("lp run --threads [N]", () => {
  it.each([
    [["p.ts"], undefined, ["p.ts"]],
    [["p.ts", "--threads"], true, ["p.ts"]],
    [["--threads", "p.ts"], true, ["p.ts"]],
    [["--threads", "3", "p.ts"], 3, ["p.ts"]],
    [["p.ts", "--threads=4", "--force"], 4, ["p.ts", "--force"]],
    [["p.ts", "--", "--threads"], undefined, ["p.ts", "--", "--threads"]],
  ])("%j: threads %s", (args, threads, rest) => {
    expect(takeThreadsFlag(args)).toEqual({ threads, rest });
  });

  it("rejects a count that is not a whole number from 1 up", () => {
    expect(() => takeThreadsFlag(["--threads=1.5"])).toThrow(/--threads must be a whole number from 1 up, got "1.5"/);
  });
});
