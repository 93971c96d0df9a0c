import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { capture, example1, tempDir } from "./fixtures.js";

const parse = (lines: readonly string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe("JSON-lines output", () => {
  it("writes one parseable object per line, with the run's events and task lines", async () => {
    const out = capture(true);
    await example1(createLogger({ stream: out, logDir: false, env: {}, format: "json", timings: true }), { failSum: true }).execute();
    expect(out.text).not.toMatch(/\x1b\[|\r/);
    const records = parse(out.lines);

    expect(records.map((r) => [r.event ?? null, r.task ?? null, r.kind])).toEqual([
      ["run:start", null, "EXEC"],
      ["task:start", "TaskOne", "EXEC"],
      [null, "TaskOne", "INFO"],
      ["task:done", "TaskOne", "DONE"],
      ["task:start", "TaskTwo", "EXEC"],
      ["task:done", "TaskTwo", "DONE"],
      ["task:start", "TaskThree", "EXEC"],
      ["task:done", "TaskThree", "DONE"],
      ["task:start", "Sum", "EXEC"],
      ["task:fail", "Sum", "FAIL"],
      ["run:end", null, "FAIL"],
      ["run:timings", null, "TIME"],
    ]);
    for (const r of records) {
      expect(r.pipeline).toBe("Example1");
      expect(Number.isNaN(Date.parse(String(r.time)))).toBe(false);
    }
    const fail = records[9]!;
    expect(fail).toMatchObject({
      level: "error",
      message: "cannot add these numbers",
      data: { state: "failed", error: { name: "Error", message: "cannot add these numbers" } },
    });
    expect(fail.detail).toMatch(/^Error: cannot add these numbers\n\s+at /);
    expect(records[10]).toMatchObject({ data: { ok: false, totals: { total: 4, executed: 3, failed: 1 } } });
    const timings = records[11]!.data as { tasks: { task: string }[]; criticalPath: string[] };
    expect(timings.tasks.map((t) => t.task).sort()).toEqual(["Sum", "TaskOne", "TaskThree", "TaskTwo"]);
  });

  it("writes JSON lines to the log files too", async () => {
    const dir = tempDir();
    const logger = createLogger({ stream: capture(), logDir: dir, env: {}, format: "json" });
    await example1(logger).execute();
    expect(parse(readFileSync(join(dir, "TaskOne.log"), "utf8").trimEnd().split("\n")).map((r) => r.kind)).toEqual([
      "EXEC",
      "DEBUG",
      "INFO",
      "PERF",
      "DONE",
    ]);
    const records = parse(logger.taskLog("TaskTwo", "Example1"));
    expect(records.map((r) => r.kind)).toEqual(["EXEC", "DEBUG", "PERF", "PERF", "DONE"]);
    expect(records[2]).toMatchObject({ level: "perf", task: "TaskTwo", message: expect.stringMatching(/^extract finished \(in /) });
    expect(typeof (records[2]!.data as { durationMs: unknown }).durationMs).toBe("number");
  });

  it("reports an unwritable log folder with its error code", async () => {
    const out = capture();
    const blocker = join(tempDir(), "file");
    writeFileSync(blocker, "");
    await example1(createLogger({ stream: out, logDir: join(blocker, "logs"), env: {}, format: "json" })).execute();
    const warnings = parse(out.lines).filter((r) => r.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: "WARN", data: { error: { name: "LogFileError", code: "LP_LOG_FILE" } } });
  });
});
