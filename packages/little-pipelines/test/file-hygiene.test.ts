import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const made: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs a fixture in its own node process with LP_HOME set. */
function fixture(name: string, home: string, args: string[] = []) {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, LP_HOME: home, NO_COLOR: "1" };
  delete env.LP_LOG_DIR;
  delete env.LOG_DIR;
  const run = spawnSync(process.execPath, [script, ...args], { env, encoding: "utf8", timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every path below `dir`, with its permission bits. */
function modes(dir: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = lstatSync(path);
    out.push({ path, dir: s.isDirectory(), mode: s.mode & 0o777 });
    if (s.isDirectory()) out.push(...modes(path));
  }
  return out;
}

describe("files and folders are private to the user whatever the umask", () => {
  it("under umask 000, every folder is 0700 and every file 0600: cache, content, journal, logs, report", { timeout: 60_000 }, () => {
    const home = temp("lp-private-");
    const report = join(temp("lp-report-"), "out", "run.html");
    const run = fixture("private-run.mjs", home, [report]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("ok true");
    const all = modes(home);
    // What there is to check: content bodies, journal files and logs were all written.
    expect(all.some((e) => e.path.includes("content-v2") && !e.dir)).toBe(true);
    expect(all.some((e) => e.path.endsWith(".lpj"))).toBe(true);
    expect(all.some((e) => e.path.endsWith(".log"))).toBe(true);
    expect(all.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))).toEqual([]);
    expect(lstatSync(report).mode & 0o777).toBe(0o600);
  });
});

describe("symbolic links in the cache home are never followed", () => {
  it("a pipeline folder that is a link is refused with LP_CACHE_SYMLINK, and nothing is written where it points", { timeout: 60_000 }, () => {
    const home = temp("lp-links-");
    const elsewhere = temp("lp-elsewhere-");
    symlinkSync(elsewhere, join(home, "Linked"));
    const run = fixture("plain-run.mjs", home);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("error LP_CACHE_SYMLINK");
    expect(run.stdout).toContain(join(home, "Linked"));
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("a logs folder that is a link is reported and left alone; the results are still stored", { timeout: 60_000 }, () => {
    const home = temp("lp-links-");
    const elsewhere = temp("lp-elsewhere-");
    mkdirSync(join(home, "Linked"), { recursive: true });
    symlinkSync(elsewhere, join(home, "Linked", "logs"));
    const run = fixture("plain-run.mjs", home);
    expect(run.stdout).toContain("ok true");
    expect(run.stdout + run.stderr).toMatch(/symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("a log file that is a link is not appended to", { timeout: 60_000 }, () => {
    const home = temp("lp-links-");
    const target = join(temp("lp-elsewhere-"), "target.txt");
    writeFileSync(target, "untouched\n");
    mkdirSync(join(home, "Linked", "logs"), { recursive: true });
    symlinkSync(target, join(home, "Linked", "logs", "One.log"));
    const run = fixture("plain-run.mjs", home);
    expect(run.stdout).toContain("ok true");
    expect(run.stdout + run.stderr).toMatch(/symbolic link/);
    expect(readFileSync(target, "utf8")).toBe("untouched\n");
  });
});
