import { beforeAll, expect, it } from "vitest";
import { requireBuild, shell, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

it("peek Double[1] shows one branch, and list-cache groups the branches under their task", async ({ onTestFinished }) => {
  const store = tempStore();
  onTestFinished(store.remove);
  const result = await shell("mapped.ts", store, ["execute", "peek Double[1]", "peek Double[7]", "peek Items[0]", "list-cache", "exit"]);
  expect(result.code).toBe(0);
  const [, run, branch, outOfRange, notMapped, cache] = result.stdout.split("Mapped> ");
  expect(run).toContain("3 of 3 branches ran");
  expect(branch).toBe("Double[1]: branch 1 of 3\n{ item: 20, doubled: 40 }\n");
  expect(`${outOfRange}${result.stderr}`).toContain("Double has 3 branches (0 to 2); there is no Double[7].");
  expect(`${notMapped}${result.stderr}`).toContain("Items is not a mapped task, so it has no branches.");
  expect(cache).toMatch(/Double\s+Array\(3\)/);
  expect(cache).toMatch(/Double\[…\]\s+3 branches/);
  expect(cache).toContain("5 stored results");
}, 60_000);
