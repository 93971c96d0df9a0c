import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { PKG, fixture, lp, requireBuild, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

const ALL = ["Big", "Hourly", "Sum", "TaskOne", "TaskTwo"];

describe.concurrent("lp run", () => {
  it("runs a TypeScript pipeline without a build step, then reuses every result", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const first = await lp(["run", fixture("basic.ts")], store);
    // stdout is a pipe here: the run's lines go to stderr, with no warning among them.
    expect(first.stderr).toMatch(/^Starting pipeline\.\.\. : EXEC : 'Basic' \(5 tasks\)/);
    expect(first.stderr).not.toMatch(/WARN|error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Pipeline complete! Ran 5/5 tasks in");
    expect(store.keys()).toEqual(ALL);

    const second = await lp(["run", fixture("basic.ts")], store);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Pipeline complete! Ran 0/5 tasks in");
  });

  it("loads `export default pipeline` from JavaScript", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(["run", fixture("numbers.js")], store);
    expect(result.code).toBe(0);
    expect(store.keys()).toEqual(ALL);
  });

  it("loads a default async function that returns the pipeline", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(["run", fixture("factory.mjs")], store);
    expect(result.code).toBe(0);
    expect(store.keys()).toEqual(["Only"]);
  });

  it("exits 1 when a task fails, naming it and its error, and keeps the other results", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(["run", fixture("failing.js")], store);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed Bad: the data source is down/);
    expect(store.keys()).toEqual(["Good"]);
  });

  it("--only runs a task and its upstream tasks; --no-deps runs it alone", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const only = await lp(["run", fixture("numbers.js"), "--only", "Sum"], store);
    expect(only.code).toBe(0);
    expect(store.keys()).toEqual(["Sum", "TaskOne", "TaskTwo"]);

    const alone = await lp(["run", fixture("numbers.js"), "--only", "Hourly", "--no-deps"], store);
    expect(alone.code).toBe(0);
    expect(store.keys()).toEqual(["Hourly", "Sum", "TaskOne", "TaskTwo"]);
  });

  it("--no-deps without stored upstream results fails the task (exit 1)", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(["run", fixture("numbers.js"), "--only", "Sum", "--no-deps"], store);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed Sum: .*TaskOne/);
    expect(store.keys()).toEqual([]);
  });

  it("--skip leaves tasks out and --force-task reruns only the named ones", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const skipped = await lp(["run", fixture("numbers.js"), "--skip", "Big,Hourly"], store);
    expect(skipped.code).toBe(0);
    expect(store.keys()).toEqual(["Sum", "TaskOne", "TaskTwo"]);

    const createdBefore = store.read().TaskOne!.meta.createdAt;
    const forced = await lp(["run", fixture("numbers.js"), "--force-task", "TaskOne", "--skip", "Big", "--skip", "Hourly"], store);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("Pipeline complete! Ran 1/5 tasks in");
    expect(store.read().TaskOne!.meta.createdAt).toBeGreaterThanOrEqual(createdBefore);
  });

  it("--force reruns everything", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    await lp(["run", fixture("numbers.js")], store);
    const forced = await lp(["run", fixture("numbers.js"), "--force", "--concurrency", "1", "--quiet"], store);
    expect(forced.code).toBe(0);
    expect(forced.stdout).not.toContain("Starting pipeline");
    expect(forced.stdout).toContain("Pipeline complete! Ran 5/5 tasks in");
  });
});

describe.concurrent("lp cache verify", () => {
  it("checks every cached body against its digest and runs again the tasks whose body fails", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    await lp(["run", fixture("numbers.js")], store);
    const clean = await lp(["cache", "verify", fixture("numbers.js")], store);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("Verified 5 cached results: every one matches its digest.");

    // Damage Big's body behind the store's back (this store does not verify on read).
    const entries = store.read();
    const good = entries.Big!.body;
    const body = Buffer.from(good, "base64");
    body[body.length - 2]! ^= 1;
    entries.Big!.body = body.toString("base64");
    writeFileSync(store.file, JSON.stringify(entries));
    const damaged = await lp(["cache", "verify", fixture("numbers.js")], store);
    expect(damaged.code).toBe(0);
    expect(damaged.stdout).toContain("Verified 5 cached results: 1 failed (Big) and ran again.");
    expect(store.read().Big!.body).toBe(good);

    const help = await lp(["cache", "--help"], store);
    expect(help.stdout).toContain("verify");
    expect(help.stdout).toMatch(/verify \[options\] \[file\]\s+Read every result a run would use as cached, check it/);
  });
});

describe.concurrent("lp graph and reports", () => {
  it("draws the graph as a tree, Mermaid or DOT, with stored states", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    await lp(["run", fixture("numbers.js"), "--only", "Sum"], store);
    const tree = await lp(["graph", fixture("numbers.js")], store);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toBe("Big [not cached]\nHourly [not cached]\nSum [cached]\n├── TaskOne [cached]\n└── TaskTwo [cached]\n");
    const mermaid = await lp(["graph", fixture("numbers.js"), "--format", "mermaid", "--direction", "TD"], store);
    expect(mermaid.stdout).toMatch(/^flowchart TD\n/);
    expect(mermaid.stdout).toContain("t_TaskOne --> t_Sum");
    const dot = await lp(["graph", fixture("numbers.js"), "-f", "dot"], store);
    expect(dot.stdout).toMatch(/^digraph "Numbers" \{/);
    expect(dot.stdout).toContain('"TaskTwo" -> "Sum";');
  });

  it("run --report writes an HTML report of the run", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const report = join(store.dir, "out", "..", "report.html");
    const result = await lp(["run", fixture("failing.js"), "--report", report], store);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Report written to ${report}.`);
    const html = readFileSync(report, "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("Failing");
    expect(html).toContain("the data source is down");
  });
});

describe.concurrent("lp help, version and bad usage", () => {
  it("--help shows the commands and how to export a pipeline", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const help = await lp(["--help"], store);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: lp [options] [command]");
    expect(help.stdout).toContain("export default pipeline");
  });

  it("--version prints the package version", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const { version } = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")) as { version: string };
    const result = await lp(["--version"], store);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  const bad: [string, string[], RegExp][] = [
    ["a missing pipeline file", ["run", "test/fixtures/nowhere.ts"], /nowhere\.ts does not exist/],
    ["a file exporting no pipeline", ["run", fixture("no-export.js")], /exports no pipeline \(it exports answer\)/],
    ["an unknown task name", ["run", fixture("numbers.js"), "--only", "Summ"], /no task "Summ"\. Did you mean "Sum"\?/],
    ["an unknown option", ["status", fixture("numbers.js"), "--fast"], /unknown option '--fast'/],
  ];
  it.for(bad)("exits 2 with a one-line message for %s", async ([, args, message], { expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(args, store);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^lp[ :][^\n]+\n$/);
    expect(result.stderr).toMatch(message);
    expect(store.keys()).toEqual([]);
  });

  it("exits 1 and names the file when the pipeline file throws while loading", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await lp(["run", fixture("throws.ts")], store);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Pipeline file test/fixtures/throws.ts failed to load: cannot reach the database");
    expect(result.stderr).toMatch(/at .*throws\.ts/);
  });

  it("shows an error of ours raised while loading with its one line in the user's file, no library frames", async ({
    expect,
    onTestFinished,
  }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    for (const command of ["run", "status"]) {
      const result = await lp([command, fixture("misspelled-option.ts")], store);
      expect(result.code).toBe(1);
      const lines = result.stderr.split("\n");
      expect(lines[0]).toMatch(
        /^lp: Pipeline file test\/fixtures\/misspelled-option\.ts failed to load: Task "B": unknown option `dependancies`\. Did you mean `dependencies`\?/,
      );
      expect(lines.slice(1)).toEqual(["    at test/fixtures/misspelled-option.ts:5:11", ""]);
    }
  });
});
