import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryStore, NoSuchBranchError, Task, getBranchResult, inputFiles, task } from "../src/index.js";
import { quietPipeline, tempDir } from "./helpers.js";

/** Items → M (mapped, item 2 fails while `broken`), with a store the test can inspect. */
function pipelineWith(list: () => unknown[], state: { broken: boolean }) {
  const store = new MemoryStore();
  const { pipeline } = quietPipeline("Peek", { store });
  pipeline.add(
    task("Items", { run: list }),
    new Task("M", {
      map: "Items",
      onBranchError: "skip",
      run() {
        if (state.broken && this.item === 2) throw new Error("broken");
        return { item: this.item, index: this.index };
      },
    }),
    task("Plain", { run: () => 1 }),
  );
  return pipeline;
}

const codeOf = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => (e instanceof NoSuchBranchError ? e.code : String(e)));

describe("getBranchResult", () => {
  it("reads that one branch's stored result, not the combined one", async () => {
    const state = { broken: true };
    const pipeline = pipelineWith(() => [1, 2, 3], state);
    await pipeline.execute();
    // Item 2 failed and is left out of the combined result: index 2 there is item 3.
    expect(await pipeline.getResult("M")).toEqual([
      { item: 1, index: 0 },
      { item: 3, index: 2 },
    ]);
    const third = await getBranchResult(pipeline, "M", 2);
    expect(third).toMatchObject({ label: "M[2]", index: 2, total: 3, item: 3, value: { item: 3, index: 2 } });
    expect(third.meta.key).toMatch(/^M\[#[0-9a-f]{32}\]$/);
    // The failed branch is not stored: said so, by label.
    await expect(getBranchResult(pipeline, "M", 1)).rejects.toThrow(/Task "M": M\[1\] is not stored/);

    state.broken = false;
    await pipeline.execute();
    expect((await getBranchResult(pipeline, "M", 1)).value).toEqual({ item: 2, index: 1 });
  });

  it("refuses a bad index naming the task and the range, and a task that is not mapped", async () => {
    const pipeline = pipelineWith(() => [1, 2, 3], { broken: false });
    await expect(getBranchResult(pipeline, "M", 0)).rejects.toThrow(/"Items", which it is mapped over, has no stored result/);
    await pipeline.execute();
    await expect(getBranchResult(pipeline, "M", 3)).rejects.toThrow('Task "M" has 3 branches (from M[0] to M[2]); there is no M[3].');
    await expect(getBranchResult(pipeline, "M", -1)).rejects.toThrow(/from M\[0\] to M\[2\]/);
    expect(await codeOf(getBranchResult(pipeline, "M", 1.5))).toBe("LP_NO_SUCH_BRANCH");
    await expect(getBranchResult(pipeline, "Plain", 0)).rejects.toThrow('Task "Plain" is not mapped');
    await expect(getBranchResult(pipeline, "Mm", 0)).rejects.toMatchObject({ code: "LP_UNKNOWN_TASK" });
  });

  it("finds a file branch by position in the sorted file list, until the file changes", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "data"));
    for (const f of ["b", "a", "c"]) writeFileSync(join(cwd, "data", `${f}.csv`), `${f}\n`);
    const { pipeline } = quietPipeline("Files", { store: new MemoryStore(), cwd });
    const t = task("Rows", {
      map: inputFiles("data/*.csv"),
      run() {
        return this.item.slice(-5);
      },
    });
    pipeline.add(t);
    await pipeline.execute();
    expect(await getBranchResult(pipeline, t, 1)).toMatchObject({ item: join(cwd, "data", "b.csv"), value: "b.csv", total: 3 });
    writeFileSync(join(cwd, "data", "b.csv"), "changed\n");
    await expect(getBranchResult(pipeline, t, 1)).rejects.toThrow(/Rows\[1\] is not stored \(its item is new or changed/);
    // A code change leaves the branches stored under the last run's fingerprint visible.
    const edited = task("Rows", {
      map: inputFiles("data/*.csv"),
      version: 2,
      run() {
        return this.item.slice(-5);
      },
    });
    const { pipeline: again } = quietPipeline("Files", { store: pipeline.store, cwd });
    again.add(edited);
    expect((await getBranchResult(again, "Rows", 2)).value).toBe("c.csv");
  });
});
