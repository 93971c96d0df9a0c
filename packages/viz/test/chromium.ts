import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type BrowserContext, type Page, chromium } from "playwright-core";

/** Debian's chromium, which CI installs; browser tests are skipped without it. */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/** Headless, offline, no first-run or background work. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A CSS attribute selector for one task's elements. */
export const byTask = (name: string) => `[data-task="${name.replace(/["\\]/g, (c) => `\\${c}`)}"]`;

/** Opens a report file in headless Chromium with a fresh profile; page errors are collected in `problems`. */
export async function openInChromium(file: string, profile: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const problems: string[] = [];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { context, page, problems };
}
