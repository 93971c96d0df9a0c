import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempDir(prefix = "lp-threads-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Runs a fixture in a real child process (TypeScript through tsx, as users run pipelines)
 * and returns its output; fixtures print one JSON line last.
 */
export function runFixture(name: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string; report: any }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures", name)], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      let report: unknown;
      try {
        report = JSON.parse(last);
      } catch {
        report = undefined;
      }
      resolve({ code, out, err, report });
    }),
  );
}
