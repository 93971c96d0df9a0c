import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { CacacheStore, MemoryStore, Pipeline, Shell, createLogger, expire, silentLogger, task } from "../src/index.js";

let home: string;
const previous = process.env.LP_HOME;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "lp-umbrella-"));
  process.env.LP_HOME = home;
});
afterEach(() => {
  if (previous === undefined) delete process.env.LP_HOME;
  else process.env.LP_HOME = previous;
});

it("defaults to the on-disk cache under LP_HOME, so a new pipeline object reuses results", async () => {
  let runs = 0;
  const make = () => new Pipeline("Umbrella", { logger: silentLogger() }).add(task("T", { run: () => ++runs }));
  const first = make();
  expect(first.store).toBeInstanceOf(CacacheStore);
  await first.execute();
  await first.close();
  const second = make();
  const summary = await second.execute();
  await second.close();
  expect(summary.tasks[0]!.state).toBe("cached");
  expect(runs).toBe(1);
  expect(existsSync(join(home, "Umbrella"))).toBe(true);
});

it("keeps any option it is given over its defaults", () => {
  const store = new MemoryStore();
  const logger = createLogger({ level: "silent" });
  const p = new Pipeline("P", { store, logger });
  expect(p.store).toBe(store);
  expect(p.logger).toBe(logger);
});

it("re-exports the expiry namespace and the shell", () => {
  expect(expire.onComplete().onComplete).toBe(true);
  expect(expire.weekly(["Mon"]).label).toContain("Mon");
  expect(typeof Shell).toBe("function");
});

it("every package's errors share core's LpError base and an LP_ code", async () => {
  const { LpError } = await import("../src/index.js");
  const { CacheNameClashError } = await import("@lp/cache");
  const { LogFileError } = await import("@lp/logging");
  const { UnknownCommandError } = await import("@lp/shell");
  const errors = [
    new CacheNameClashError("a", "/tmp/a", "A"),
    new LogFileError("/x.log", "T", new Error("EROFS")),
    new UnknownCommandError("lsit", "list-tasks"),
  ];
  for (const error of errors) {
    expect(error).toBeInstanceOf(LpError);
    expect(error.code).toMatch(/^LP_[A-Z_]+$/);
    expect(error.name).toBe(error.constructor.name);
  }
});

it("the seed's manual loop works on the default store, and pipeline.logDir is the default log folder", async () => {
  const { findTasks, createLogger: makeLogger, formatDuration } = await import("../src/index.js");
  const tasks = {
    one: task("One", { run: () => 1 }),
    sum: task("Sum", {
      dependencies: ["One"],
      async run() {
        return (await this.result<number>("One")) + 1;
      },
    }),
  };
  const chunks: string[] = [];
  const pipeline = new Pipeline("Loop", {
    logger: makeLogger({ stream: { write: (c: string) => chunks.push(c) }, env: { LP_HOME: home } }),
  }).add(findTasks(tasks));
  const results: unknown[] = [];
  for (const t of pipeline.tasks) results.push(await t.run());
  expect(results).toEqual([1, 2]);
  expect(tasks.sum.isExecuted).toBe(true);
  expect(pipeline.logDir).toBe(join(home, "Loop", "logs"));
  expect(readFileSync(join(home, "Loop", "logs", "~pipeline.log"), "utf8")).toMatch(/ \| Sum \| DONE  \| /);
  await pipeline.close();
  expect(formatDuration(1500)).toBe("0:01.50");
});

it("declares the one lp bin, with the lpipe and little-pipelines aliases; @lp/shell declares none", async () => {
  const { readFileSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  const pkg = (dir: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", dir, "package.json"), "utf8")) as {
      bin?: Record<string, string>;
      version: string;
    };
  const umbrella = pkg("little-pipelines");
  expect(umbrella.bin).toEqual({ lp: "./dist/cli.js", lpipe: "./dist/cli.js", "little-pipelines": "./dist/cli.js" });
  expect(pkg("shell").bin).toBeUndefined();
  const out = execFileSync(process.execPath, [join(import.meta.dirname, "..", "dist", "cli.js"), "--version"], { encoding: "utf8" });
  expect(out.trim()).toBe(pkg("shell").version);
});
