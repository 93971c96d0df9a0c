import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cannotMount, inPrivateMount } from "./support/private-mount.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), "lp-ro-"));
  made.push(dir);
  return dir;
};
const script = fileURLToPath(new URL("./fixtures/disk-faults.mjs", import.meta.url));
const env = (home: string): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, LP_HOME: home, NO_COLOR: "1" };
  delete e.LP_LOG_DIR;
  delete e.LOG_DIR;
  return e;
};
const NOBODY = 65_534;

/** The error a run on `home` threw, from the fixture's JSON line. */
function threw(stdout: string): { code: string; message: string } {
  const line = JSON.parse(stdout.trim().split("\n").at(-1)!);
  expect(line.tasks).toBeUndefined();
  return line.threw;
}

function expectReadOnly(error: { code: string; message: string }, folder: string, why: RegExp) {
  expect(error.code).toBe("LP_CACHE_READ_ONLY");
  expect(error.message).toContain(`${folder} is read-only`);
  expect(error.message).toMatch(why);
  expect(error.message).toContain("LP_HOME");
  expect(error.message).not.toContain("ENOENT");
}

describe("a home that cannot be written is reported read-only, naming the folder", () => {
  it("a folder without write permission (run as an unprivileged user when the tests run as root)", { timeout: 60_000 }, () => {
    const home = temp();
    chmodSync(home, 0o555);
    // Root writes through any permission bits: the run drops to `nobody` to meet them.
    const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
    const run = spawnSync(process.execPath, [script, "run"], { env: env(home), encoding: "utf8", timeout: 60_000, ...asNobody });
    expect(run.stderr).toBe("");
    expectReadOnly(threw(run.stdout), home, /no write permission there: EACCES/);
  });

  const noMount = cannotMount(temp());
  if (noMount !== undefined) return void it.skip(`read-only file systems are not tested: ${noMount}`, () => {});

  it("a home on a read-only file system", { timeout: 60_000 }, () => {
    const home = temp();
    const run = inPrivateMount('mount -t tmpfs -o ro tmpfs "$1"; "$2" "$3" run', home, [process.execPath, script], env(home));
    expect(run.stderr).toBe("");
    expectReadOnly(threw(run.stdout), home, /read-only file system: EROFS/);
  });

  it("lp status and lp run exit 1 with the read-only message, not a success or a raw stack", { timeout: 60_000 }, () => {
    const home = temp();
    const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
    const file = fileURLToPath(new URL("./fixtures/one-task.mjs", import.meta.url));
    const lp = (command: string) => `"$2" "$3" ${command} "$4" || echo "${command} exited $?"`;
    const run = inPrivateMount(`mount -t tmpfs -o ro tmpfs "$1"; ${lp("status")}; ${lp("run")}`, home, [process.execPath, cli, file], env(home));
    expect(run.stdout).toContain("status exited 1");
    expect(run.stdout).toContain("run exited 1");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toContain(`${home} is read-only (it is on a read-only file system: EROFS)`);
      expect(line).toContain("LP_HOME");
    }
  });

  it("a pipeline folder made earlier, now on a read-only file system", { timeout: 60_000 }, () => {
    const home = temp();
    const run = inPrivateMount('mount -t tmpfs tmpfs "$1"; mkdir "$1/Disk"; mount -o remount,ro "$1"; "$2" "$3" run', home, [process.execPath, script], env(home));
    expect(run.stderr).toBe("");
    expectReadOnly(threw(run.stdout), join(home, "Disk"), /read-only file system: EROFS/);
  });
});
