import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { MemoryStore, Task, onComplete, task } from "@lp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../src/index.js";
import { CHROMIUM, byTask, hasChromium, openInChromium } from "./chromium.js";
import { quietPipeline, tempDir } from "./helpers.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A mapped task's second run: one item added, one that fails every time (left out under
 * `onBranchError: "skip"`), the rest cached. The new item's branch is the slow one.
 */
async function mappedRun() {
  const state = { list: [0, 1, 2, 3, 4, 5] };
  const { pipeline } = quietPipeline("Mapped report", { store: new MemoryStore() });
  pipeline.add(
    task("Items", { expire: onComplete(), run: () => state.list }),
    new Task("Clean", {
      map: "Items",
      onBranchError: "skip",
      async run() {
        if (this.item === 3) throw new Error("row 3 is <broken>");
        await sleep(this.item === 6 ? 60 : 1);
        return (this.item as number) * 10;
      },
    }),
  );
  await pipeline.execute();
  state.list = [0, 1, 2, 3, 4, 5, 6];
  const summary = await pipeline.execute();
  return { pipeline, summary };
}

if (!hasChromium) {
  it.skip(`mapped task in the HTML report: skipped because ${CHROMIUM} is missing (apt-get install -y chromium)`, () => {});
}

describe.runIf(hasChromium)("a mapped task in the HTML report, in headless Chromium", () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let profile: string;
  let record: NonNullable<Awaited<ReturnType<typeof mappedRun>>["summary"]["tasks"][number]>;

  beforeAll(async () => {
    const { pipeline, summary } = await mappedRun();
    record = summary.tasks.find((t) => t.name === "Clean")!;
    const file = join(tempDir("lp-report-mapped-"), "run.html");
    await writeReport(file, pipeline, summary, { statuses: await pipeline.status(), title: "Mapped run" });
    profile = tempDir("lp-chromium-profile-");
    ({ context, page, problems } = await openInChromium(file, profile));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("shows the branch counts, the failed branch and the slowest branches in the task's row", async () => {
    // What the run recorded: the new item ran, the failing one failed again, five were cached.
    expect(record.branches).toMatchObject({ total: 7, ran: 1, cached: 5 });
    expect(record.branches?.failed.map((f) => f.label)).toEqual(["Clean[3]"]);
    const cell = page.locator(`#tasks tbody tr${byTask("Clean")} .branches`);
    expect(await cell.count()).toBe(1);
    const text = (await cell.textContent()) ?? "";
    expect(text).toContain("1 of 7 branches ran, 5 cached, 1 failed: Clean[3]");
    expect(text).toMatch(/slowest: Clean\[6\] \d+:\d\d\.\d\d/);
    // The failed count stands out from the rest of the line.
    const colour = (selector: string) => page.locator(selector).evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(e).color);
    expect(await colour(`#tasks tbody tr${byTask("Clean")} .branches .failed`)).not.toBe(await colour(`#tasks tbody tr${byTask("Clean")} .branches`));
    // A task that is not mapped has no branch line.
    expect(await page.locator(`#tasks tbody tr${byTask("Items")} .branches`).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("lays the cell out visibly inside its row, without spilling over, and saves a screenshot", async () => {
    const cell = page.locator(`#tasks tbody tr${byTask("Clean")} .branches`);
    const box = await cell.boundingBox();
    const row = await page.locator(`#tasks tbody tr${byTask("Clean")}`).boundingBox();
    expect(box && row && box.width > 50 && box.height > 10).toBe(true);
    // Inside its row, and the text wraps rather than running out of its cell.
    expect(box!.x >= row!.x && box!.x + box!.width <= row!.x + row!.width + 1).toBe(true);
    expect(box!.y >= row!.y && box!.y + box!.height <= row!.y + row!.height + 1).toBe(true);
    expect(await cell.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
    expect(await cell.isVisible()).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, "report-mapped.png");
    rmSync(shot, { force: true });
    await cell.screenshot({ path: shot });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
  });
});
