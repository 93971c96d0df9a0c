import { Pipeline, Task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { capture, masked } from "./fixtures.js";

/** What a terminal shows after the text: carriage returns and "erase row" applied. */
function screen(text: string): string[] {
  const rows: string[] = [""];
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("\x1b[2K", i)) {
      rows[rows.length - 1] = "";
      i += 3;
    } else if (text[i] === "\r") col = 0;
    else if (text[i] === "\n") {
      rows.push("");
      col = 0;
    } else {
      const row = rows[rows.length - 1]!;
      rows[rows.length - 1] = row.slice(0, col) + text[i] + row.slice(col + 1);
      col++;
    }
  }
  return rows;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function gatedPipeline(logger: Pipeline["logger"], gate: Promise<void>, started: () => void) {
  const fast = new Task("Fast", { codeHash: false, run: () => 1 });
  const slow = new Task("Slow", {
    codeHash: false,
    async run() {
      started();
      await gate;
      return 2;
    },
  });
  const last = new Task("Last", { codeHash: false, dependencies: ["Fast", "Slow"], run: () => 3 });
  return new Pipeline("Gated", { logger, concurrency: 2 }).add(fast, slow, last);
}

describe("live progress", () => {
  it("keeps a progress line under the log lines, redrawn in place, and erases it at the end", async () => {
    const out = capture(true, 100);
    const logger = createLogger({ stream: out, logDir: false, env: {}, color: false, progress: true, progressIntervalMs: 0 });
    const gate = deferred();
    const running = deferred();
    const run = gatedPipeline(logger, gate.promise, running.resolve).execute();
    await running.promise;
    while (!out.text.includes("Fast               : DONE")) await new Promise((r) => setImmediate(r));

    const during = screen(out.text);
    expect(during.at(-1)).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1\/3 done · \d+:\d\d\.\d\d · running: Slow \d+:\d\d\.\d\d$/);
    expect(masked(during.slice(0, -1))).toContain("Fast               : DONE : (in <t>)");

    gate.resolve();
    await run;
    const after = screen(out.text);
    expect(after.at(-1)).toBe("");
    expect(after.slice(0, -1).every((l) => / : [A-Z]+ : /.test(l))).toBe(true);
    expect(after.at(-2)).toMatch(/^Pipeline complete! : DONE : Ran 3\/3 tasks in /);
    expect(out.text).toContain("\r\x1b[2K");
  });

  it("cuts the progress line to the terminal's width", async () => {
    const out = capture(true, 30);
    const logger = createLogger({ stream: out, logDir: false, env: {}, color: false, progress: true, progressIntervalMs: 0 });
    const gate = deferred();
    const running = deferred();
    const run = gatedPipeline(logger, gate.promise, running.resolve).execute();
    await running.promise;
    const last = screen(out.text).at(-1)!;
    expect([...last].length).toBeLessThanOrEqual(29);
    expect(last.endsWith("…")).toBe(true);
    gate.resolve();
    await run;
  });

  it("assumes 80 columns when the terminal reports none", async () => {
    const out = capture(true, 0);
    const logger = createLogger({ stream: out, logDir: false, env: {}, color: false, progress: true, progressIntervalMs: 0 });
    const gate = deferred();
    const running = deferred();
    const run = gatedPipeline(logger, gate.promise, running.resolve).execute();
    await running.promise;
    expect(screen(out.text).at(-1)).toMatch(/ · running: (Fast \d+:\d\d\.\d\d, )?Slow \d+:\d\d\.\d\d$/);
    gate.resolve();
    await run;
  });

  it("prints plain lines only when the stream is not a TTY", async () => {
    const out = capture(false);
    const gate = deferred();
    gate.resolve();
    await gatedPipeline(createLogger({ stream: out, logDir: false, env: {} }), gate.promise, () => {}).execute();
    expect(out.text).not.toMatch(/\r|\x1b/);
    expect(out.lines).toHaveLength(8);
  });

  it("hides the progress line when quiet", async () => {
    const out = capture(true);
    const logger = createLogger({ stream: out, logDir: false, env: {}, progress: true, progressIntervalMs: 0 });
    logger.quiet();
    const gate = deferred();
    gate.resolve();
    await gatedPipeline(logger, gate.promise, () => {}).execute();
    expect(out.text).toBe("");
  });
});

describe("the progress line's width", () => {
  it("cuts wide (CJK) task names by display width, never wider than the terminal", async () => {
    const { ProgressState } = await import("../src/progress.js");
    const { default: stringWidth } = await import("string-width");
    const state = new ProgressState();
    state.start(3, 0);
    for (const task of ["データの読み込み処理", "集計処理のタスク", "レポート作成"]) state.update({ type: "task:start", task, attempt: 1, decision: { run: true, reason: { kind: "never-run" }, text: "" }, at: 0 }, 0);
    const line = state.render(1000, 40);
    expect(stringWidth(line)).toBeLessThanOrEqual(39);
    expect(line.endsWith("…")).toBe(true);
  });
});
