import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, byTask, hasChromium } from "./chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "@lp/core";
import { vizStates, writeReport } from "../src/index.js";
import { tempDir } from "./helpers.js";
import { MIXED, mixedRun } from "./fixtures.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));

if (!hasChromium) {
  it.skip(`HTML report in headless Chromium: skipped because ${CHROMIUM} is missing (apt-get install -y chromium)`, () => {});
}

describe.runIf(hasChromium)("HTML report in headless Chromium", () => {
  let context: BrowserContext;
  let page: Page;
  let summary: RunSummary;
  let profile: string;
  const requests: string[] = [];
  const problems: string[] = [];

  /** `[data-task, data-state]` of every element the selector matches, as the browser sees them. */
  const hooks = (selector: string) =>
    page.locator(selector).evaluateAll((els) => els.map((e) => [e.getAttribute("data-task") ?? "", e.getAttribute("data-state") ?? ""]));

  beforeAll(async () => {
    const run = await mixedRun();
    summary = run.second;
    const dir = tempDir("lp-report-browser-");
    const file = join(dir, "reports", "run.html");
    await writeReport(file, run.pipeline, summary, { statuses: await run.pipeline.status(), title: "Mixed run" });
    profile = tempDir("lp-chromium-profile-");
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    context.on("request", (r) => requests.push(r.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.text().startsWith("csp:")) problems.push(`console: ${m.text()}`);
    });
    // Any fetch the page tries, even one the CSP blocks, is reported.
    await page.addInitScript({ content: `document.addEventListener("securitypolicyviolation", (e) => console.log("csp: " + e.blockedURI));` });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("shows every task with its state in the graph and the table", async () => {
    const expected = Object.fromEntries(vizStates(summary));
    expect(Object.keys(expected)).toHaveLength(6);
    expect(Object.fromEntries(await hooks("#graph svg g.node"))).toEqual(expected);
    expect(await page.locator("#graph svg g.node").count()).toBe(6);
    expect(Object.fromEntries(await hooks("#tasks tbody tr"))).toEqual(expected);
    // Names with markup are shown as text, not parsed as HTML.
    const names = await page.locator("#tasks tbody th.task .name").allTextContents();
    expect(names.sort()).toEqual(Object.keys(expected).sort());
    expect(await page.locator(`#tasks tbody tr${byTask(MIXED.failed)} .message`).textContent()).toBe('disk <full> & "stuck"');
    expect(await page.title()).toBe("Mixed run");
  });

  it("has one timeline bar per executed task, the critical path highlighted", async () => {
    const bars = await hooks("#timeline svg rect.bar");
    const executed = summary.tasks.filter((t) => t.state === "executed").map((t) => t.name);
    expect(executed).toEqual([MIXED.executed, MIXED.downstream]);
    expect(bars.filter(([, state]) => state === "executed").map(([task]) => task).sort()).toEqual([...executed].sort());
    // The failed task's attempt took time too, so it has its bar; tasks that never ran have none.
    expect(bars.map(([task]) => task).sort()).toEqual([...executed, MIXED.failed].sort());
    const critical = await page.locator("#timeline svg rect.bar.critical").evaluateAll((els) => els.map((e) => e.getAttribute("data-task")));
    expect(critical.sort()).toEqual([...summary.criticalPath].sort());
    for (const name of executed) {
      const box = await page.locator(`#timeline svg rect.bar${byTask(name)}`).boundingBox();
      expect(box?.width, name).toBeGreaterThan(0);
    }
  });

  it("highlights a task everywhere while it is pointed at", async () => {
    await page.locator(`#graph g.node${byTask(MIXED.failed)}`).hover();
    expect(await page.locator(`#tasks tbody tr${byTask(MIXED.failed)}`).getAttribute("class")).toContain("hl");
    expect(await page.locator(`#timeline rect.bar${byTask(MIXED.failed)}`).getAttribute("class")).toContain("hl");
    expect(await page.locator(`#tasks tbody tr${byTask(MIXED.cached)}`).getAttribute("class")).toBeNull();
    await page.mouse.move(0, 0);
    expect(await page.locator(`#tasks tbody tr${byTask(MIXED.failed)}`).getAttribute("class")).not.toContain("hl");
  });

  it("loads nothing but the file itself and raises no error", async () => {
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith("file://"))).toEqual([]);
    expect(new Set(requests).size).toBe(1);
  });

  it("renders the graph and timeline visibly, and saves a screenshot", async () => {
    for (const selector of ["#graph svg.graph", "#timeline svg.timeline", "#tasks table"]) {
      const box = await page.locator(selector).boundingBox();
      expect(box && box.width > 100 && box.height > 50, selector).toBe(true);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, "report.png");
    rmSync(shot, { force: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
  });
});
