import { beforeAll, expect, it } from "vitest";
import { fixture, lp, requireBuild, shell, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

it("peek Double[2] shows that one branch's stored result; a bad index names the task and the range", async ({ onTestFinished }) => {
  const store = tempStore();
  onTestFinished(store.remove);
  const result = await shell("mapped.ts", store, ["execute", "peek Double[2]", "peek Double[0]", "peek Double[7]", "peek Items[0]", "peek Double", "exit"]);
  expect(result.code).toBe(0);
  const [, run, branch, failed, outOfRange, notMapped, whole] = result.stdout.split("Mapped> ");
  expect(run).toContain("2 of 3 branches ran");
  // Item 10 failed and is left out of the combined result, whose element 1 is branch 2's.
  expect(whole).toContain("{ item: 20, doubled: 40 }, { item: 30, doubled: 60 }");
  expect(branch).toMatch(/^Double\[2\]: branch 2 of 3, Object, \d+ B\n\{ item: 30, doubled: 60 \}\n$/);
  expect(`${failed}${result.stderr}`).toContain("Double[0] is not stored");
  expect(`${outOfRange}${result.stderr}`).toContain('Task "Double" has 3 branches (from Double[0] to Double[2]); there is no Double[7].');
  expect(`${notMapped}${result.stderr}`).toContain('Task "Items" is not mapped, so it has no branches.');
}, 60_000);

it("list-cache and lp cache ls group the branches under their task", async ({ onTestFinished }) => {
  const store = tempStore();
  onTestFinished(store.remove);
  const inShell = await shell("mapped.ts", store, ["execute", "list-cache", "exit"]);
  const cache = inShell.stdout.split("Mapped> ")[2]!;
  expect(cache).toMatch(/Double\s+Array\(2\)/);
  expect(cache).toMatch(/Double\[…\]\s+2 branches/);
  expect(cache).toContain("4 stored results");
  const ls = await lp(["cache", "ls", fixture("mapped.ts")], store);
  expect(ls.code).toBe(0);
  const lines = ls.stdout.split("\n");
  const task = lines.findIndex((l) => /^\s*Double\s+Array\(2\)/.test(l));
  // The branches' row comes right under their task's, and no branch key is listed on its own.
  expect(lines[task + 1]).toMatch(/^\s+Double\[…\]\s+2 branches/);
  expect(ls.stdout).not.toMatch(/Double\[#/);
  expect(ls.stdout).toContain("4 stored results");
}, 60_000);

it("clear-cache Double clears its branches too; clear-cache Double[2] clears one branch, which alone runs again", async ({ onTestFinished }) => {
  const store = tempStore();
  onTestFinished(store.remove);
  const branches = () => store.keys().filter((k) => k.startsWith("Double[#"));
  await shell("mapped.ts", store, ["execute", "exit"]);
  expect(branches()).toHaveLength(2);

  const whole = await shell("mapped.ts", store, ["clear-cache Double", "list-cache", "exit"]);
  const [, cleared, cache] = whole.stdout.split("Mapped> ");
  expect(cleared).toContain("Cleared Double and its 2 branches.");
  expect(cache).toContain("Items");
  expect(cache).not.toMatch(/Double/);
  expect(branches()).toEqual([]);

  const rerun = await shell("mapped.ts", store, ["execute", "clear-cache Double[2]", "execute", "clear-cache Double[0]", "exit"]);
  const [, all, one, again, failed] = rerun.stdout.split("Mapped> ");
  expect(all).toContain("2 of 3 branches ran");
  expect(one).toContain("Cleared Double[2] (Double runs that branch again).");
  expect(again).toContain("1 of 3 branches ran");
  // Double[0] failed, so it has no stored branch to clear.
  expect(failed).toContain("Nothing stored for Double[0].");
}, 60_000);
