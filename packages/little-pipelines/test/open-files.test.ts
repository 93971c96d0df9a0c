import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("a 10,000-task run with file logs and big results passes under `ulimit -n 256`", { timeout: 180_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), "lp-many-"));
  try {
    const script = fileURLToPath(new URL("./fixtures/many-tasks.mjs", import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, LP_HOME: home, NO_COLOR: "1" };
    delete env.LP_LOG_DIR;
    delete env.LOG_DIR;
    const run = spawnSync("bash", ["-c", 'ulimit -n 256 && exec "$0" "$1" 10000', process.execPath, script], { env, encoding: "utf8", timeout: 170_000 });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n").at(-1)).toBe(
      JSON.stringify({ total: 10_000, executed: 10_000, cached: 0, skipped: 0, failed: 0, upstreamFailed: 0, cancelled: 0 }),
    );
    // File logs did not silently stop: every task has its file.
    expect(readdirSync(join(home, "Many", "logs")).filter((n) => /^T\d+\.log$/.test(n))).toHaveLength(10_000);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
