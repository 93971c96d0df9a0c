import { beforeAll, describe, it } from "vitest";
import { requireBuild, shell, tempStore, type Finished } from "./support/processes.js";

beforeAll(requireBuild);

/**
 * The output of each command: the text after each prompt. Index 0 is the banner, index i
 * the output of the i-th command.
 */
function byCommand(result: Finished, prompt = "Numbers> "): string[] {
  return result.stdout.split(prompt);
}

describe.concurrent("the shell, driven through stdin", () => {
  it("lists tasks, executes, and shows states, results and details", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await shell("basic.ts", store, ["list-tasks", "execute", "list-tasks", "peek Sum", "peek Big", "info Sum", "exit"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const [banner, before, run, after, sum, big, info] = byCommand(result, "Basic> ");
    expect(banner).toContain("Basic\nNumbers for testing the shell. (5 tasks)\npowered by little-pipelines");
    expect(before).toMatch(/TaskOne\s+not cached/);
    expect(before).toMatch(/Sum\s+not cached/);
    expect(run).toMatch(/Pipeline complete!\s+: DONE : Ran 5\/5 tasks in/);
    expect(after).toMatch(/TaskOne\s+cached\s+number, 1 B, stored/);
    expect(after).toMatch(/Big\s+cached\s+Array\(5000\)/);
    expect(sum).toBe("Sum: number, 1 B\n3\n");
    expect(big).toContain("{ id: 19, label: 'row 19' }");
    expect(big).toContain("... 4980 more items");
    expect(big).not.toContain("row 20'");
    expect(info).toMatch(/description\s+Adds the two numbers\./);
    expect(info).toMatch(/dependencies\s+TaskOne, TaskTwo/);
    expect(info).toMatch(/expiry\s+never/);
    expect(info).toMatch(/last run\s+executed in \d:\d\d\.\d\d: run \d:\d\d\.\d\d/);
    expect(result.stdout.trimEnd().endsWith("Bye.")).toBe(true);
    expect(store.keys()).toEqual(["Big", "Hourly", "Sum", "TaskOne", "TaskTwo"]);
  });

  it("marks an expired result and a result whose upstream changed", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    await shell("numbers.js", store, ["execute"]);
    store.patch("Hourly", { expiresAt: Date.now() - 1000 });
    store.patch("TaskOne", { digest: "sha256-something-else" });
    const [, list, status] = byCommand(await shell("numbers.js", store, ["list-tasks", "status"]));
    expect(list).toMatch(/Hourly\s+expired/);
    expect(list).toMatch(/Sum\s+outdated/);
    expect(list).toMatch(/TaskTwo\s+cached/);
    expect(status).toMatch(/Hourly\s+will run\s+expired at/);
    expect(status).toMatch(/Sum\s+will run\s+upstream TaskOne changed/);
    expect(status).toContain("2 of 5 tasks would run.");
  });

  it("clears one result, all but never-expiring ones, then everything", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await shell("numbers.js", store, ["execute", "clear-cache Sum", "list-cache", "clear-cache .", "list-cache", "clear-cache . --hard", "list-cache --all"]);
    const [, , one, listOne, soft, listSoft, hard, listHard] = byCommand(result);
    expect(one).toBe("Cleared Sum.\n");
    expect(listOne).not.toMatch(/^\s+Sum\s/m);
    expect(listOne).toContain("4 stored results");
    expect(soft).toBe("Cleared 1 result; kept 3 that never expire (add --hard to clear those too).\n");
    expect(listSoft).not.toContain("Hourly");
    expect(hard).toBe("Cleared 3 results.\n");
    expect(listHard).toContain("(no stored results)");
    expect(store.keys()).toEqual([]);
  });

  it("clears an entry that no task of the pipeline owns, by name", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    await shell("factory.mjs", store, ["execute"]);
    const [, listed, cleared, unknown] = byCommand(await shell("numbers.js", store, ["list-cache --all", "clear-cache Only", "clear-cache Gone"]));
    expect(listed).toMatch(/Only\s+string.*orphan/);
    expect(cleared).toBe("Cleared Only.\n");
    expect(unknown).toBe('Error: Pipeline "Numbers" has no task "Gone".\n');
    expect(store.keys()).toEqual([]);
  });

  it("execute-one runs the upstream tasks it needs; --no-deps runs the task alone", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const [, alone] = byCommand(await shell("numbers.js", store, ["execute-one Sum --no-deps"]));
    expect(alone).toMatch(/Sum\s+: FAIL : No stored result for task "TaskOne"/);
    expect(store.keys()).toEqual([]);

    const [, withDeps] = byCommand(await shell("numbers.js", store, ["execute_one Sum"]));
    expect(withDeps).toMatch(/Pipeline complete!\s+: DONE : Ran 3\/3 tasks in/);
    expect(store.keys()).toEqual(["Sum", "TaskOne", "TaskTwo"]);

    const [, forced] = byCommand(await shell("numbers.js", store, ["execute-one Sum --force"]));
    expect(forced).toMatch(/Pipeline complete!\s+: DONE : Ran 1\/3 tasks in/);
  });

  it("execute takes --skip and --force-task lists", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const [, skipped, forced] = byCommand(
      await shell("numbers.js", store, ["execute --skip=Big,Hourly", "execute --skip=Big --skip=Hourly --force-task=TaskOne,TaskTwo"]),
    );
    expect(skipped).toMatch(/Pipeline complete!\s+: DONE : Ran 3\/5 tasks in/);
    expect(forced).toMatch(/Pipeline complete!\s+: DONE : Ran 2\/5 tasks in/);
    expect(store.keys()).toEqual(["Sum", "TaskOne", "TaskTwo"]);
  });

  it("accepts dashes, underscores and aliases, and help for each form", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const [, helpAll, helpOne, helpUnderscore, listed] = byCommand(await shell("numbers.js", store, ["help", "help execute-one", "? clear_cache", "list_tasks", "quit"]));
    expect(helpAll).toMatch(/execute-one, executeone\s+Run one task/);
    expect(helpAll).toMatch(/exit, quit, q\s+Leave the shell/);
    expect(helpOne).toContain("Usage: execute-one <task> [--no-deps] [--force]");
    expect(helpUnderscore).toContain("Usage: clear-cache <task>... | . [--hard]");
    expect(listed).toMatch(/TaskOne\s+not cached/);
  });

  it("reports unknown and failing commands clearly and goes on", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await shell("numbers.js", store, [
      "lst-tasks",
      "peek",
      "peek Summ",
      "peek Sum",
      'peek "unclosed',
      "execute --fast",
      "clear-cache Sum --hard",
      "log LOUD",
      "execute-one Sum",
      "peek Sum",
    ]);
    expect(result.code).toBe(0);
    const [, unknown, noArg, typo, noResult, quote, badOption, hardTask, badLevel, run, peeked] = byCommand(result);
    expect(unknown).toBe('Error: Unknown command "lst-tasks". Did you mean "list-tasks"? Type "help" to list the commands.\n');
    expect(noArg).toBe("Error: peek: which task? Give a task name. Usage: peek <task>\n");
    expect(typo).toBe('Error: Pipeline "Numbers" has no task "Summ". Did you mean "Sum"?\n');
    expect(noResult).toContain('No stored result for task "Sum"');
    expect(quote).toBe("Error: input: the double quote is not closed.\n");
    expect(badOption).toMatch(/^Error: execute: unknown option --fast\. Usage: execute \[--force\]/);
    expect(hardTask).toContain('--hard goes with "." only');
    expect(badLevel).toContain('unknown level "LOUD"; use one of debug, perf, info, warn, error, silent');
    expect(run).toContain("Ran 3/");
    expect(peeked).toContain("3");
    expect(result.stdout.trimEnd().endsWith("Bye.")).toBe(true);
  });

  it("graph shows each task's state in the last run, else of its stored result", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    await shell("numbers.js", store, ["execute-one Hourly"]);
    const [, before, , after, mermaid] = byCommand(await shell("numbers.js", store, ["graph", "execute-one Sum", "graph", "graph --format=mermaid"]));
    expect(before).toBe("States of the stored results:\nBig [not cached]\nHourly [cached]\nSum [not cached]\n├── TaskOne [not cached]\n└── TaskTwo [not cached]\n");
    expect(after).toContain("Hourly [cached]\nSum [executed]\n├── TaskOne [executed]");
    expect(mermaid).toMatch(/^flowchart LR\n/);
  });

  it("validate reports a valid pipeline", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const [, valid] = byCommand(await shell("numbers.js", store, ["validate"]));
    expect(valid).toBe("Pipeline Numbers is valid (5 tasks).\n");
  });

  it("quiet silences a run, log brings the output back and filters it by level", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const [, , quietRun, , infoRun, , errorRun, level] = byCommand(
      await shell("numbers.js", store, ["quiet", "execute", "log INFO", "execute --force", "log error", "execute --force", "log"]),
    );
    expect(quietRun).not.toContain("Starting pipeline");
    expect(quietRun).toContain("Pipeline complete! Ran 5/5 tasks in");
    expect(infoRun).toContain("Starting pipeline... : EXEC : 'Numbers' (5 tasks)");
    expect(infoRun).toMatch(/Sum\s+: DONE/);
    expect(errorRun).not.toContain("Starting pipeline");
    expect(errorRun).toContain("Pipeline complete! Ran 5/5 tasks in");
    expect(level).toBe("Log level: error\n");
  });

  it("ignores what comes after exit and ends at the end of input", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const exited = await shell("numbers.js", store, ["exit", "execute"]);
    expect(exited.code).toBe(0);
    expect(exited.stdout).not.toContain("Pipeline complete!");
    expect(store.keys()).toEqual([]);
    const ended = await shell("numbers.js", store, ["execute"]);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toMatch(/Pipeline complete!\s+: DONE : Ran 5\/5 tasks in/);
    expect(ended.stdout.trimEnd().endsWith("Bye.")).toBe(true);
  });
});
