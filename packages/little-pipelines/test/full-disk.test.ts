import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cannotMount, inPrivateMount } from "./support/private-mount.js";

const home = mkdtempSync(join(tmpdir(), "lp-full-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const script = fileURLToPath(new URL("./fixtures/disk-faults.mjs", import.meta.url));
const noMount = cannotMount(home);

interface Reported {
  tasks: Record<string, { state: string; code?: string; message?: string }>;
}

/** Runs 40 tasks on a 1 MiB tmpfs, then lists what a fresh store in a new process finds there. */
function fillDisk(bytes: number): { reported: Reported; stored: string[] } {
  const env: NodeJS.ProcessEnv = { ...process.env, LP_HOME: home, NO_COLOR: "1" };
  delete env.LP_LOG_DIR;
  delete env.LOG_DIR;
  const run = inPrivateMount(
    'mount -t tmpfs -o size=1m,mode=0700 tmpfs "$1"; "$2" "$3" run 40 "$4"; "$2" "$3" list',
    home,
    [process.execPath, script, String(bytes)],
    env,
  );
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const [reported, stored] = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
  return { reported, stored };
}

describe("a full disk: what a run reports stored is exactly what is stored", () => {
  if (noMount !== undefined) return void it.skip(`not tested: ${noMount}`, () => {});
  it.each([
    ["results in the journal", 60_000],
    ["results in the content store", 100_000],
    ["small results", 20_000],
  ])("%s", { timeout: 120_000 }, (_, bytes) => {
    const { reported, stored } = fillDisk(bytes);
    const states = Object.values(reported.tasks);
    // The disk did fill up: some results could not be stored, and say why.
    const failed = Object.entries(reported.tasks).filter(([, t]) => t.state !== "executed");
    expect(failed.length).toBeGreaterThan(0);
    for (const [name, t] of failed) {
      expect(t.state).toBe("failed");
      expect(t.code).toBe("LP_STORE");
      expect(t.message).toContain(`Task "${name}": the result could not be stored`);
      expect(t.message).toContain("ENOSPC");
      // Where, which entry, and what to do about it.
      expect(t.message).toContain(`Could not store the result of "${name}" in ${join(home, "Disk")}`);
      expect(t.message).toContain("The disk is full");
      expect(t.message).toMatch(/lp cache prune.*`maxSize`.*LP_HOME/);
    }
    expect(states).toHaveLength(40);
    const executed = Object.entries(reported.tasks)
      .filter(([, t]) => t.state === "executed")
      .map(([name]) => name)
      .sort();
    expect(stored).toEqual(executed);
  });
});
