import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

// `lp cache clear` on a mapped task, with the real bin and the default store in a temp home.
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/mapped-clear.mjs", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "lp-clear-mapped-"));
const marks = join(home, "marks");
afterAll(() => rmSync(home, { recursive: true, force: true }));

function lp(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, LP_HOME: home, LP_TEST_MARKS: marks, NO_COLOR: "1", FORCE_COLOR: undefined },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `lp run --json`: the elements whose branch ran, and what became of Clean and Summary. */
function run() {
  writeFileSync(marks, "");
  const r = lp("run", FIXTURE, "--json");
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  const record = (name: string) => summary.tasks.find((t: { name: string }) => t.name === name);
  const ran = readFileSync(marks, "utf8").split("\n").filter(Boolean).sort();
  return { ran, clean: record("Clean"), summary: record("Summary") };
}

/** Keys of the stored entries: `lp cache ls --json`. */
function stored(): string[] {
  const r = lp("cache", "ls", FIXTURE, "--json");
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).entries.map((e: { key: string }) => e.key);
}
const branchKeys = () => stored().filter((k) => k.startsWith("Clean[#"));

it("lp cache clear --task Clean clears its branches too, and every branch runs again", () => {
  expect(run().ran).toEqual(["a", "b", "c", "d"]);
  expect(run().ran).toEqual([]);
  expect(branchKeys()).toHaveLength(4);

  const cleared = lp("cache", "clear", FIXTURE, "--task", "Clean");
  expect(cleared.code, cleared.stderr).toBe(0);
  expect(cleared.stdout.trim()).toBe("Cleared Clean and its 4 branches.");
  expect(branchKeys()).toEqual([]);
  expect(stored()).not.toContain("Clean");
  const listed = lp("cache", "ls", FIXTURE);
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).not.toMatch(/Clean\[…\]/);

  const again = run();
  expect(again.clean.state).toBe("executed");
  expect(again.ran).toEqual(["a", "b", "c", "d"]);
  expect(branchKeys()).toHaveLength(4);
}, 120_000);

it("lp cache clear --task Clean[2] clears that one branch: only it runs again", () => {
  run();
  const before = branchKeys();
  const cleared = lp("cache", "clear", FIXTURE, "--task", "Clean[2]");
  expect(cleared.code, cleared.stderr).toBe(0);
  expect(cleared.stdout.trim()).toBe("Cleared Clean[2] (Clean runs that branch again).");
  const left = branchKeys();
  expect(left).toHaveLength(3);
  expect(before).toEqual(expect.arrayContaining(left));

  const again = run();
  expect(again.ran).toEqual(["c"]);
  expect(again.clean.state).toBe("executed");
  // The combined result came out the same: its dependent stays cached.
  expect(again.summary.state).toBe("cached");

  const nothing = lp("cache", "clear", FIXTURE, "--task", "Clean[2]", "--task", "Clean[2]");
  expect(nothing.stdout.trim()).toBe("Cleared Clean[2] (Clean runs that branch again).\nNothing stored for Clean[2].");
}, 120_000);

it("a branch that cannot be cleared is refused with a clear error, and nothing is cleared", () => {
  run();
  const before = stored();
  const outOfRange = lp("cache", "clear", FIXTURE, "--task", "Clean[9]");
  expect(outOfRange.code).not.toBe(0);
  expect(outOfRange.stderr).toContain('Task "Clean" has 4 branches (from Clean[0] to Clean[3]); there is no Clean[9].');
  const notMapped = lp("cache", "clear", FIXTURE, "--task", "Summary[0]");
  expect(notMapped.code).not.toBe(0);
  expect(notMapped.stderr).toContain('Task "Summary" is not mapped, so it has no branches.');
  const unknown = lp("cache", "clear", FIXTURE, "--task", "Clean", "--task", "Nope[0]");
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('no task "Nope"');
  for (const r of [outOfRange, notMapped, unknown]) expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(stored()).toEqual(before);
}, 120_000);
