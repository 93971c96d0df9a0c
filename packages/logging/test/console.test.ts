import { type Logger, type LoggerProvider, Pipeline, Task, plainLogger } from "@lp/core";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { capture, example1, masked } from "./fixtures.js";

const ANSI = /\x1b\[/;

describe("console output in the seed's shape", () => {
  it("prints one aligned line per event, where a failure happened, and one closing line", async () => {
    const out = capture();
    const pipeline = example1(createLogger({ stream: out, logDir: false, env: {} }), { failSum: true });
    const summary = await pipeline.execute();

    expect(summary.totals).toMatchObject({ executed: 3, failed: 1 });
    expect(masked(out.lines)).toEqual([
      "Starting pipeline... : EXEC : 'Example1' (4 tasks)",
      "TaskOne            : EXEC : Running...",
      "TaskOne            : INFO : loaded one",
      "TaskOne            : DONE : (in <t>)",
      "TaskTwo            : EXEC : Running...",
      "TaskTwo            : DONE : (in <t>)",
      "TaskThree          : EXEC : Running...",
      "TaskThree          : DONE : (in <t>)",
      "Sum                : EXEC : Running...",
      "Sum                : FAIL : cannot add these numbers",
      expect.stringMatching(/^ {21}at .*fixtures\.ts:\d+:\d+\)?$/),
      "Pipeline failed!   : FAIL : Ran 3/4 tasks in <t>; failed 1 (Sum)",
    ]);
  });

  it("shows cached tasks as SKIP with their result type, and counts them on the closing line", async () => {
    const out = capture();
    const pipeline = example1(createLogger({ stream: out, logDir: false, env: {} }));
    await pipeline.execute();
    out.chunks.length = 0;
    const summary = await pipeline.execute({ forceTasks: ["TaskTwo"], skipTasks: ["Sum"] });

    expect(summary.totals).toMatchObject({ executed: 1, cached: 2, skipped: 1 });
    expect(masked(out.lines)).toEqual([
      "Starting pipeline... : EXEC : 'Example1' (4 tasks)",
      "TaskOne            : SKIP : Using cached results (number)",
      "TaskTwo            : EXEC : Running...",
      "TaskTwo            : DONE : (in <t>)",
      "TaskThree          : SKIP : Using cached results (number)",
      "Sum                : SKIP : skipped by request",
      "Pipeline complete! : DONE : Ran 1/4 tasks in <t>; cached 2, skipped 1",
    ]);
  });

  it("prints the same lines as core's plainLogger when colour is off", async () => {
    const ours = capture();
    const plainLines: string[] = [];
    const provider = createLogger({ stream: ours, logDir: false, env: {} });
    const plain = plainLogger((line) => plainLines.push(line));
    const both: LoggerProvider = {
      forTask(task, pipeline): Logger {
        const a = provider.forTask(task, pipeline);
        const b = plain.forTask(task, pipeline);
        return {
          debug: (m, ...x) => (a.debug(m, ...x), b.debug(m, ...x)),
          info: (m, ...x) => (a.info(m, ...x), b.info(m, ...x)),
          warn: (m, ...x) => (a.warn(m, ...x), b.warn(m, ...x)),
          error: (m, ...x) => (a.error(m, ...x), b.error(m, ...x)),
          perf: (m, ms) => (a.perf(m, ms), b.perf(m, ms)),
        };
      },
      event(e) {
        plain.event(e);
        provider.event(e);
      },
    };
    const bad = new Task("Bad", { codeHash: false, run: () => Promise.reject(new Error("no data")) });
    const after = new Task("AfterBad", { codeHash: false, dependencies: ["Bad"], ifUpstreamErrors: "skip", run: () => 1 });
    const pipeline = example1(both).add(bad, after);
    await pipeline.execute();
    await pipeline.execute();

    expect(ours.lines).toEqual(plainLines);
    expect(plainLines).toContain("AfterBad           : SKIP : upstream Bad failed");
  });

  it("adds PERF lines with each process's duration at the perf level", async () => {
    const out = capture();
    await example1(createLogger({ stream: out, logDir: false, env: {}, level: "perf" })).execute();
    const perf = masked(out.lines).filter((l) => l.includes(": PERF :"));
    expect(perf).toEqual([
      "TaskOne            : PERF : run finished (in <t>)",
      "TaskTwo            : PERF : extract finished (in <t>)",
      "TaskTwo            : PERF : run finished (in <t>)",
      "TaskThree          : PERF : run finished (in <t>)",
      "Sum                : PERF : run finished (in <t>)",
    ]);
  });

  it("reports retries as warnings and the next attempt", async () => {
    const out = capture();
    let tries = 0;
    const flaky = new Task("Flaky", {
      codeHash: false,
      retries: { count: 1, delayMs: 0 },
      run() {
        if (++tries === 1) throw new Error("connection reset");
        return tries;
      },
    });
    await new Pipeline("Retry", { logger: createLogger({ stream: out, logDir: false, env: {} }) }).add(flaky).execute();
    expect(masked(out.lines).slice(1, 5)).toEqual([
      "Flaky              : EXEC : Running...",
      "Flaky              : WARN : Attempt 1 failed: connection reset. Retrying in <t>",
      "Flaky              : EXEC : Retrying (attempt 2)...",
      "Flaky              : DONE : (in <t>)",
    ]);
  });
});

describe("colour", () => {
  const run = async (tty: boolean, env: Record<string, string>, color?: boolean) => {
    const out = capture(tty);
    await example1(createLogger({ stream: out, logDir: false, env, progress: false, ...(color === undefined ? {} : { color }) }), { failSum: true }).execute();
    return out.text;
  };

  it("colours a TTY", async () => {
    expect(await run(true, {})).toMatch(ANSI);
  });

  it("writes no ANSI codes when the stream is not a TTY", async () => {
    expect(await run(false, {})).not.toMatch(ANSI);
  });

  it("writes no ANSI codes on a TTY when NO_COLOR is set", async () => {
    expect(await run(true, { NO_COLOR: "1" })).not.toMatch(ANSI);
  });

  it("follows FORCE_COLOR and an explicit color option", async () => {
    expect(await run(false, { FORCE_COLOR: "1" })).toMatch(ANSI);
    expect(await run(true, {}, false)).not.toMatch(ANSI);
  });

  it("keeps the plain text when colour is on", async () => {
    const coloured = await run(true, {});
    const plain = await run(false, {});
    const stripped = coloured.replace(/\x1b\[[0-9;]*m/g, "");
    expect(masked(stripped.split("\n"))).toEqual(masked(plain.split("\n")));
  });
});
