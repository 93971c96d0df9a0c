import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, "fixtures", "session-run.ts");
const packageDir = join(here, "..");

interface Report {
  event: "status" | "run" | "ready";
  pid: number;
  session: string;
  state?: string;
  text?: string;
}

/** Starts session-run.ts under tsx and collects its JSON reports until `until` arrives or it exits. */
function start(storeFile: string, mode: "hold" | "check", until: Report["event"] | "exit", nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, storeFile, mode], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const reports: Report[] = [];
  const done = new Promise<Report[]>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const report = JSON.parse(line) as Report;
      reports.push(report);
      if (report.event === until) resolve(reports);
    });
    child.on("exit", (code) => {
      if (until === "exit" && code === 0) resolve(reports);
      else reject(new Error(`session-run.ts ${mode} exited with ${code} before "${until}":\n${stderr}`));
    });
  });
  return { child, done };
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
    else child.once("exit", (_code, signal) => resolve(signal));
  });
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("session() across processes", () => {
  it("keeps a result for the process that stored it and expires it for the next one, even after a kill", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lp-expiry-session-"));
    dirs.push(dir);
    const storeFile = join(dir, "results.json");

    const first = start(storeFile, "hold", "ready");
    const held = await first.done;
    expect(held.map((r) => [r.event, r.state])).toEqual([
      ["status", "not cached"],
      ["run", "executed"],
      ["run", "cached"],
      ["ready", undefined],
    ]);
    const firstSession = held[0]!.session;

    // No exit handler can run: the entry stays in the store, marked with the dead session.
    first.child.kill("SIGKILL");
    expect(await exited(first.child)).toBe("SIGKILL");
    const stored = JSON.parse(readFileSync(storeFile, "utf8")) as Record<string, { meta: { session?: string; expiry: string } }>;
    expect(stored.Token?.meta).toMatchObject({ session: firstSession, expiry: "session" });

    const second = await start(storeFile, "check", "exit").done;
    expect(second[0]!.session).not.toBe(firstSession);
    expect(second.map((r) => [r.event, r.state, r.text])).toEqual([
      ["status", "expired", "expired with the session that stored it"],
      ["run", "executed", undefined],
    ]);
    const rewritten = JSON.parse(readFileSync(storeFile, "utf8")) as typeof stored;
    expect(rewritten.Token?.meta.session).toBe(second[0]!.session);
  }, 30_000);

  it("expires it for the next process also when both run with the same --random-seed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lp-expiry-session-"));
    dirs.push(dir);
    const storeFile = join(dir, "results.json");
    const seeded = ["--random-seed=7"];

    const first = start(storeFile, "hold", "ready", seeded);
    const held = await first.done;
    expect(held[1]!.state).toBe("executed");
    first.child.kill("SIGKILL");
    await exited(first.child);

    const second = await start(storeFile, "check", "exit", seeded).done;
    expect(second[0]!.session).not.toBe(held[0]!.session);
    expect(second.map((r) => [r.event, r.state, r.text])).toEqual([
      ["status", "expired", "expired with the session that stored it"],
      ["run", "executed", undefined],
    ]);
  }, 30_000);
});
