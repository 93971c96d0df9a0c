import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Pipeline, Task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { capture, example1, masked, tempDir } from "./fixtures.js";

const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \| /;
const read = (file: string) => readFileSync(file, "utf8");
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe("per-task log files", () => {
  it("writes the lines of a task that logs or fails, with timestamps and without colour, to <dir>/<task>.log", async () => {
    const dir = tempDir();
    const out = capture(true);
    await example1(createLogger({ stream: out, logDir: dir, env: {}, progress: false }), { failSum: true }).execute();

    // TaskOne logs itself and Sum fails; TaskTwo and TaskThree only have the engine's lines.
    expect(readdirSync(dir).sort()).toEqual(["Sum.log", "TaskOne.log", "~pipeline.log"]);
    const one = read(join(dir, "TaskOne.log")).trimEnd().split("\n");
    expect(one.every((l) => STAMP.test(l))).toBe(true);
    expect(masked(one.map((l) => l.replace(STAMP, "")))).toEqual([
      "EXEC  | Running...",
      "DEBUG | Runs because: never run (no stored result)",
      "INFO  | loaded one",
      "PERF  | run finished (in <t>)",
      "DONE  | (in <t>)",
    ]);
    const sum = read(join(dir, "Sum.log"));
    expect(sum).toContain("| FAIL  | cannot add these numbers\n    Error: cannot add these numbers\n        at ");
    expect(sum).not.toMatch(/\x1b\[/);
  });

  it("appends across runs, cached runs included", async () => {
    const dir = tempDir();
    const pipeline = example1(createLogger({ stream: capture(), logDir: dir, env: {} }));
    await pipeline.execute();
    await pipeline.execute();
    const lines = read(join(dir, "TaskOne.log")).trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/\| SKIP  \| Using cached results \(number\)$/);
    expect(lines.filter((l) => l.includes("| DONE  |"))).toHaveLength(1);
  });

  it("keeps files apart for names that differ only in reserved characters, inside the folder", async () => {
    const dir = tempDir();
    const logger = createLogger({ stream: capture(), logDir: dir, env: {} });
    const names = ["a/b", "a_b", "a%2Fb", "../escape", "C:\\x"];
    const tasks = names.map(
      (name) =>
        new Task(name, {
          codeHash: false,
          run() {
            this.logger.info(name);
          },
        }),
    );
    await new Pipeline("Names", { logger }).add(tasks).execute();

    const files = readdirSync(dir).sort();
    expect(files).toEqual(["%2E.%2Fescape.log", "C%3A%5Cx.log", "a%252Fb.log", "a%2Fb.log", "a_b.log", "~pipeline.log"]);
    for (const name of names) {
      expect(read(logger.logFile(name, "Names")!)).toContain(`| INFO  | ${name}\n`);
      expect(read(logger.logFile(name, "Names")!)).toContain("| DONE  |");
      expect(logger.taskLog(name, "Names").map((l) => l.slice(26))).toEqual([
        `${name} | EXEC  | Running...`,
        `${name} | DEBUG | Runs because: never run (no stored result)`,
        `${name} | INFO  | ${name}`,
        expect.stringMatching(new RegExp(`^${name.replace(/[\\.]/g, "\\$&")} \\| PERF  \\| run finished`)),
        expect.stringMatching(/\| DONE  \| \(in /),
      ]);
    }
    expect(existsSync(join(dir, "..", "escape.log"))).toBe(false);
  });

  it("puts logs under <LP_HOME>/<pipeline>/logs by default", async () => {
    const home = tempDir();
    const logger = createLogger({ stream: capture(), env: { LP_HOME: home } });
    await example1(logger).execute();
    expect(logger.logDir("Example1")).toBe(join(home, "Example1", "logs"));
    expect(read(join(home, "Example1", "logs", "~pipeline.log"))).toContain("| TaskTwo | PERF  | extract finished");
    // Logs can hold task data: the folder is private to the user.
    expect(statSync(join(home, "Example1", "logs")).mode & 0o777).toBe(0o700);
  });

  it("lets LP_LOG_DIR, then LOG_DIR, override the folder, and the logDir option override both", () => {
    const home = tempDir();
    const a = join(home, "a");
    const b = join(home, "b");
    expect(createLogger({ stream: capture(), env: { LP_HOME: home, LOG_DIR: b } }).logDir("P")).toBe(b);
    expect(createLogger({ stream: capture(), env: { LP_HOME: home, LOG_DIR: b, LP_LOG_DIR: a } }).logDir("P")).toBe(a);
    expect(createLogger({ stream: capture(), env: { LP_LOG_DIR: a }, logDir: (p) => join(home, p) }).logDir("P")).toBe(join(home, "P"));
    expect(createLogger({ stream: capture(), env: { LP_LOG_DIR: a }, logDir: false }).logFile("T", "P")).toBeUndefined();
  });

  it("rotates a file by size and keeps every line, in order", async () => {
    const dir = tempDir();
    let clock = Date.UTC(2025, 0, 31, 12, 0, 0);
    const logger = createLogger({ stream: capture(), logDir: dir, env: {}, rotateBytes: 300, now: () => (clock += 1000) });
    const chatty = new Task("Chatty", {
      codeHash: false,
      run() {
        for (let i = 0; i < 40; i++) this.logger.info(`line ${String(i).padStart(2, "0")}`);
      },
    });
    await new Pipeline("Rotate", { logger }).add(chatty).execute();

    const files = readdirSync(dir).sort();
    const rotated = files.filter((f) => f.startsWith("Chatty") && f !== "Chatty.log");
    expect(rotated.length).toBeGreaterThan(3);
    for (const f of rotated) expect(f).toMatch(/^Chatty~2025013\d-\d{6}-000\.log$/);
    for (const f of files) expect(read(join(dir, f)).length).toBeLessThanOrEqual(300);
    const all = [...rotated, "Chatty.log"].map((f) => read(join(dir, f))).join("");
    const numbered = all.split("\n").flatMap((l) => l.match(/line (\d\d)$/)?.[1] ?? []);
    expect(numbered).toEqual(Array.from({ length: 40 }, (_, i) => String(i).padStart(2, "0")));
  });

  it("rotates by bytes, not characters, each file as full as the next line allows", async () => {
    const dir = tempDir();
    let clock = Date.UTC(2025, 0, 31, 12, 0, 0);
    const logger = createLogger({ stream: capture(), logDir: dir, env: {}, rotateBytes: 4000, now: () => (clock += 1000) });
    const wide = new Task("Wide", {
      codeHash: false,
      run() {
        // Three bytes a character in UTF-8, and a line count that crosses several batches.
        for (let i = 0; i < 300; i++) this.logger.info(`${String(i).padStart(3, "0")} ${"名".repeat(i % 40)}`);
      },
    });
    await new Pipeline("Bytes", { logger }).add(wide).execute();

    const files = readdirSync(dir)
      .filter((f) => f.startsWith("Wide"))
      .sort();
    const order = [...files.filter((f) => f !== "Wide.log"), "Wide.log"];
    expect(order.length).toBeGreaterThan(5);
    const texts = order.map((f) => read(join(dir, f)));
    for (const [i, f] of order.entries()) {
      const bytes = statSync(join(dir, f)).size;
      expect(bytes).toBeLessThanOrEqual(4000);
      // A file was rotated only because the next file's first line would not fit in it.
      if (i < order.length - 1) expect(bytes + Buffer.byteLength(`${texts[i + 1]!.split("\n")[0]}\n`)).toBeGreaterThan(4000);
    }
    const numbered = texts.join("").split("\n").flatMap((l) => l.match(/INFO {2}\| (\d{3}) /)?.[1] ?? []);
    expect(numbered).toEqual(Array.from({ length: 300 }, (_, i) => String(i).padStart(3, "0")));
  });

  it("deletes rotated files and idle logs older than retainDays, and nothing else", async () => {
    const dir = tempDir();
    const old = ["TaskOne~20240101-000000-000.log", "Gone~20240101-000000-000.log", "TaskTwo~20240102-000000-000-2.log"];
    const recent = "TaskOne~20250101-000000-000.log";
    for (const f of [...old, recent, "notes.log", "TaskOne.log"]) writeFileSync(join(dir, f), "old line\n");
    for (const f of [...old, "notes.log", "TaskOne.log"]) utimesSync(join(dir, f), daysAgo(31), daysAgo(31));
    utimesSync(join(dir, recent), daysAgo(29), daysAgo(29));

    await example1(createLogger({ stream: capture(), logDir: dir, env: {} })).execute();

    const files = readdirSync(dir);
    for (const f of old) expect(files).not.toContain(f);
    expect(files).toContain(recent);
    expect(files).toContain("notes.log");
    expect(read(join(dir, "TaskOne.log"))).not.toContain("old line");
  });

  it("keeps everything with retainDays: Infinity", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "TaskOne~20000101-000000-000.log"), "ancient\n");
    utimesSync(join(dir, "TaskOne~20000101-000000-000.log"), daysAgo(9000), daysAgo(9000));
    await example1(createLogger({ stream: capture(), logDir: dir, env: {}, retainDays: Number.POSITIVE_INFINITY })).execute();
    expect(readdirSync(dir)).toContain("TaskOne~20000101-000000-000.log");
  });

  it("records at fileLevel whatever the console shows", async () => {
    const dir = tempDir();
    const out = capture();
    const logger = createLogger({ stream: out, logDir: dir, env: {}, fileLevel: "info" });
    logger.quiet();
    await example1(logger).execute();
    expect(out.text).toBe("");
    const one = read(join(dir, "TaskOne.log"));
    expect(one).toContain("| INFO  | loaded one");
    expect(one).not.toContain("| PERF  |");
    expect(one).not.toContain("| DEBUG |");
  });
});

describe("a log folder that cannot be written", () => {
  it("warns once on the console and the run succeeds", async () => {
    const base = tempDir();
    writeFileSync(join(base, "not-a-folder"), "");
    const dir = join(base, "not-a-folder", "logs");
    const out = capture();
    const pipeline = example1(createLogger({ stream: out, logDir: dir, env: {} }));
    const summary = await pipeline.execute();

    expect(summary.ok).toBe(true);
    expect(await pipeline.getResult("Sum")).toBe(6);
    const warnings = out.lines.filter((l) => l.includes(": WARN :"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Logs {15}: WARN : Cannot write the log file ".*not-a-folder.*" \(ENOTDIR/);
    expect(warnings[0]).toContain("set logDir (or LP_LOG_DIR) to a writable folder");
    expect(out.lines.at(-1)).toMatch(/^Pipeline complete! : DONE : Ran 4\/4 tasks in /);
  });

  it.skipIf(!existsSync("/dev/full"))("survives one task's file failing in the middle of a run (a link to a full disk, never followed)", async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    symlinkSync("/dev/full", join(dir, "TaskTwo.log"));
    const out = capture();
    const summary = await example1(createLogger({ stream: out, logDir: dir, env: {}, retainDays: Number.POSITIVE_INFINITY })).execute();

    expect(summary.ok).toBe(true);
    const warnings = out.lines.filter((l) => l.includes(": WARN :"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('for task "TaskTwo" (');
    expect(warnings[0]).toContain("is a symbolic link, and log files never follow links");
    expect(read(join(dir, "TaskOne.log"))).toContain("| DONE  |");
  });

  it("tries again on the next run", async () => {
    const base = tempDir();
    const blocker = join(base, "logs");
    writeFileSync(blocker, "");
    const out = capture();
    const logger = createLogger({ stream: out, logDir: blocker, env: {} });
    const pipeline = example1(logger);
    await pipeline.execute({ force: true });
    await pipeline.execute({ force: true });
    expect(out.lines.filter((l) => l.includes(": WARN :"))).toHaveLength(2);
  });
});

describe("the pipeline log", () => {
  it("holds every line of a run, tagged with its task, and lets quiet tasks make no file", async () => {
    const dir = tempDir();
    const logger = createLogger({ stream: capture(), logDir: dir, env: {} });
    const tasks = Array.from(
      { length: 50 },
      (_, i) => new Task(`q${i}`, { codeHash: false, dependencies: i ? [`q${i - 1}`] : [], run: () => i }),
    );
    await new Pipeline("Quiet", { logger }).add(tasks).execute();

    expect(readdirSync(dir)).toEqual(["~pipeline.log"]);
    const lines = read(join(dir, "~pipeline.log")).trimEnd().split("\n");
    expect(lines.every((l) => STAMP.test(l))).toBe(true);
    expect(lines[0]).toMatch(/\| Starting pipeline\.\.\. \| EXEC  \| 'Quiet' \(50 tasks\)$/);
    expect(lines.at(-1)).toMatch(/\| Pipeline complete! \| DONE  \| Ran 50\/50 tasks in /);
    expect(lines.filter((l) => / \| q\d+ \| DONE  \| /.test(l))).toHaveLength(50);
    expect(logger.taskLog("q7", "Quiet").map((l) => l.slice(26).split(" | ").slice(0, 2).join(" | "))).toEqual([
      "q7 | EXEC ",
      "q7 | DEBUG",
      "q7 | PERF ",
      "q7 | DONE ",
    ]);
    // A name that is a prefix of another's picks out its own lines only.
    expect(logger.taskLog("q1", "Quiet").every((l) => l.slice(26).startsWith("q1 | "))).toBe(true);
    expect(logger.taskLog("nope", "Quiet")).toEqual([]);
  });

  it("gives a task a file of its own once more engine lines wait than are kept, with every line in order", async () => {
    const dir = tempDir();
    const logger = createLogger({ stream: capture(), logDir: dir, env: {} });
    const steps = new Task("Steps", {
      codeHash: false,
      processes: {
        step() {
          return 1;
        },
        run() {
          for (let i = 0; i < 70; i++) this.step();
          return 70;
        },
      },
    });
    const two = new Task("Two", { codeHash: false, processes: { step: () => 1, run() { this.step(); return this.step(); } } });
    await new Pipeline("Waiting", { logger, concurrency: 1 }).add(steps, two).execute();

    expect(readdirSync(dir).sort()).toEqual(["Steps.log", "~pipeline.log"]);
    const own = read(join(dir, "Steps.log")).trimEnd().split("\n");
    expect(own.every((l) => STAMP.test(l))).toBe(true);
    const fromLog = read(join(dir, "~pipeline.log"))
      .trimEnd()
      .split("\n")
      .filter((l) => l.slice(26).startsWith("Steps | "))
      .map((l) => l.slice(0, 26) + l.slice(26 + "Steps | ".length));
    expect(own).toEqual(fromLog);
    expect(own.map((l) => l.slice(26, 31))).toEqual(["EXEC ", "DEBUG", ...Array(71).fill("PERF "), "DONE "]);
  });

  it("takes a cached run's lines to the console and the pipeline log, and to a task's file only where it has one", async () => {
    const dir = tempDir();
    const tasks = () =>
      Array.from({ length: 20 }, (_, i) => new Task(`c${i}`, { codeHash: false, dependencies: i ? [`c${i - 1}`] : [], run: () => i }));
    const pipeline = new Pipeline("Warm", { logger: createLogger({ stream: capture(), logDir: dir, env: {} }) }).add(tasks());
    await pipeline.execute();
    writeFileSync(join(dir, "c7.log"), "earlier\n");
    const screen = capture();
    pipeline.logger = createLogger({ stream: screen, logDir: dir, env: {} });
    const summary = await pipeline.execute();

    expect(summary.totals.cached).toBe(20);
    expect(masked(screen.lines)).toEqual([
      "Starting pipeline... : EXEC : 'Warm' (20 tasks)",
      ...Array.from({ length: 20 }, (_, i) => `${`c${i}`.padEnd(18)} : SKIP : Using cached results (number)`),
      "Pipeline complete! : DONE : Ran 0/20 tasks in <t>; cached 20",
    ]);
    expect(readdirSync(dir).sort()).toEqual(["c7.log", "~pipeline.log"]);
    const skips = read(join(dir, "~pipeline.log"))
      .split("\n")
      .filter((l) => l.includes("| SKIP  |"));
    expect(skips.every((l) => STAMP.test(l))).toBe(true);
    expect(skips.map((l) => l.slice(26))).toEqual(Array.from({ length: 20 }, (_, i) => `c${i} | SKIP  | Using cached results (number)`));
    const own = read(join(dir, "c7.log")).trimEnd().split("\n");
    expect(own[0]).toBe("earlier");
    expect(own.slice(1).map((l) => l.slice(26))).toEqual(["SKIP  | Using cached results (number)"]);
  });

  it("keeps giving a task with a file of its own its lines in later runs, a long (cut and hashed) name included, and quiet tasks none", async () => {
    const dir = tempDir();
    const long = `report-${"x".repeat(200)}`;
    const names = [long, "quiet", "a/b"];
    const tasks = () =>
      names.map(
        (name, i) =>
          new Task(name, {
            codeHash: false,
            dependencies: i ? [names[i - 1]!] : [],
            run() {
              if (name !== "quiet") this.logger.info(`from ${name.slice(0, 10)}`);
              return i;
            },
          }),
      );
    const first = createLogger({ stream: capture(), logDir: dir, env: {} });
    const pipeline = new Pipeline("Long", { logger: first }).add(tasks());
    await pipeline.execute();
    const longFile = first.logFile(long, "Long")!;
    expect(longFile).toMatch(/~h[0-9a-f]{12}\.log$/);
    // A rotated file of a quiet task's name does not make it a task with a file.
    writeFileSync(join(dir, "quiet~20250101-000000-000.log"), "old\n");

    const second = createLogger({ stream: capture(), logDir: dir, env: {} });
    pipeline.logger = second;
    const summary = await pipeline.execute();
    expect(summary.totals.cached).toBe(3);
    for (const name of [long, "a/b"]) {
      const lines = read(second.logFile(name, "Long")!).trimEnd().split("\n");
      expect(lines.at(-1)?.slice(26)).toBe("SKIP  | Using cached results (number)");
      expect(lines.filter((l) => l.includes("| INFO  | from "))).toHaveLength(1);
    }
    expect(existsSync(join(dir, "quiet.log"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([longFile.slice(dir.length + 1), "a%2Fb.log", "quiet~20250101-000000-000.log", "~pipeline.log"].sort());
  });

  it("keeps a failing task's stack trace in its view", async () => {
    const dir = tempDir();
    const logger = createLogger({ stream: capture(), logDir: dir, env: {} });
    await example1(logger, { failSum: true }).execute();
    const view = logger.taskLog("Sum", "Example1").join("\n");
    expect(view).toContain("| Sum | FAIL  | cannot add these numbers\n    Error: cannot add these numbers\n        at ");
    expect(view).not.toContain("TaskOne");
  });

  it("holds no log file open between batches, however many tasks log", async () => {
    const dir = tempDir();
    const logger = createLogger({ stream: capture(), logDir: dir, env: {} });
    const openLogs = () =>
      readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return readlinkSync(join("/proc/self/fd", fd)).startsWith(dir);
        } catch {
          return false;
        }
      }).length;
    let most = 0;
    const tasks = Array.from(
      { length: 300 },
      (_, i) =>
        new Task(`t${i}`, {
          codeHash: false,
          run() {
            this.logger.info(`line of ${i}`);
            most = Math.max(most, openLogs());
            return i;
          },
        }),
    );
    await new Pipeline("Many", { logger, concurrency: 64 }).add(tasks).execute();
    expect(most).toBe(0);
    expect(readdirSync(dir)).toHaveLength(301);
    expect(read(join(dir, "t299.log"))).toContain("| INFO  | line of 299\n");
  });

  it.skipIf(!existsSync("/proc/self/fd"))("writes the last batch when the process exits before the run's end", () => {
    const dir = tempDir();
    const script = `
      import { createLogger } from ${JSON.stringify(new URL("../src/index.ts", import.meta.url).pathname)};
      const logger = createLogger({ logDir: ${JSON.stringify(dir)}, env: {}, stream: { write() { return true; } } });
      logger.forTask("T", "P").info("just before exit");
      process.exit(0);
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(read(join(dir, "T.log"))).toMatch(/\| INFO  \| just before exit\n$/);
    expect(read(join(dir, "~pipeline.log"))).toMatch(/\| T \| INFO  \| just before exit\n$/);
  });
});
