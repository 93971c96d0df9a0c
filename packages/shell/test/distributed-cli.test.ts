import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { RedisStore } from "@lp/redis";
import { freePort, hasRedisServer, startRedisServer, type TestRedis } from "@lp/redis/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { CLI, PKG, fixture, requireBuild, run } from "./support/processes.js";

process.env.LP_FIXTURE_STORE ??= join(mkdtempSync(join(tmpdir(), "lp-shell-redis-")), "store.json");

it("lp run --redis with no Redis there fails before the run, naming the URL", async () => {
  const port = await freePort();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = "";
  let out = "";
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await runCli(["run", "test/fixtures/numbers.js", "--redis", `redis://127.0.0.1:${port}`], {
    stdout,
    stderr,
    cwd: PKG,
    env: { NO_COLOR: "1" },
  });
  expect(code).toBe(1);
  expect(err).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
  expect(out).not.toContain("Starting pipeline");
});

const SHARED = fixture("shared.mjs");
/** The clock of the first run; later processes move it forward. */
const T0 = Date.parse("2026-06-01T10:00:00Z");
const at = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe.runIf(hasRedisServer())("lp with --redis: the shared store seen from other processes", () => {
  let server: TestRedis;
  let n = 0;
  let marks: string;
  const workers = new Set<ChildProcess>();

  beforeAll(async () => {
    requireBuild();
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    await Promise.all(
      [...workers].map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once("exit", resolve), child.kill("SIGKILL"))))),
    );
    workers.clear();
    rmSync(marks, { recursive: true, force: true });
    n++;
  });

  /** Environment of every process of one test: its own pipeline name and marks folder. */
  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", LP_TEST_PIPELINE: `Shared${n}`, LP_TEST_MARKS: marks, ...extra };
    delete e.FORCE_COLOR;
    return e;
  }
  const newMarks = () => (marks = mkdtempSync(join(tmpdir(), "lp-shared-marks-")));
  /** How many times, and in which processes, a task ran. */
  const ranIn = (task: string): string[] => {
    try {
      return readFileSync(join(marks, task), "utf8").trim().split("\n");
    } catch {
      return [];
    }
  };

  /** `lp worker` as users start it; resolves once it takes jobs. */
  function startWorker(args: string[] = [], extra: Record<string, string> = {}): Promise<{ child: ChildProcess; out: () => string }> {
    const child = spawn(process.execPath, [CLI, "worker", SHARED, "--redis", server.url, ...args], { cwd: PKG, env: env(extra), stdio: ["ignore", "pipe", "pipe"] });
    workers.add(child);
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (out += d));
    return new Promise((resolve, reject) => {
      const check = setInterval(() => {
        if (out.includes("is taking")) {
          clearInterval(check);
          resolve({ child, out: () => out });
        }
      }, 50);
      child.once("exit", (code) => {
        clearInterval(check);
        reject(new Error(`lp worker exited (${code}): ${out}`));
      });
    });
  }

  async function lpJson(args: string[], now: number, extra: Record<string, string> = {}): Promise<any> {
    const done = await run(process.execPath, [CLI, ...args, "--redis", server.url, "--json"], env({ LP_TEST_NOW: at(now), ...extra }));
    if (done.code !== 0) throw new Error(`lp ${args.join(" ")} exited ${done.code}: ${done.stderr}`);
    return JSON.parse(done.stdout);
  }
  const states = (doc: { tasks: { name: string; state: string }[] }) => Object.fromEntries(doc.tasks.map((t) => [t.name, t.state]));

  it("a result's expiry is computed once by the coordinator that stored it and honoured by every other process; session and on-complete results are not fresh for another process", async () => {
    newMarks();
    const worker = await startWorker();
    const first = await lpJson(["run", SHARED], T0);
    expect(first.ok).toBe(true);
    expect(new Set(Object.values(states(first)))).toEqual(new Set(["executed"]));
    // The tasks ran in the worker process, not in the coordinator.
    expect(new Set(first.tasks.map((t: { ranOn: string }) => t.ranOn)).size).toBe(1);
    for (const task of ["Base", "PerSession", "Once", "Daily", "TwoHours"]) expect(ranIn(task)).toEqual([String(worker.child.pid)]);

    // Another process, an hour later, reads what the first one stored.
    const status = await lpJson(["status", SHARED], T0 + HOUR);
    expect(states(status)).toEqual({ Base: "cached", PerSession: "expired", Once: "expired", Daily: "cached", TwoHours: "cached" });
    const reasons = Object.fromEntries(status.tasks.map((t: { name: string; reasonText: string }) => [t.name, t.reasonText]));
    expect(reasons.PerSession).toMatch(/session/);
    const expiresAt = Object.fromEntries(status.tasks.map((t: { name: string; stored: { expiresAt: number | null } }) => [t.name, t.stored.expiresAt]));
    // Absolute times, computed from the first run's clock: two hours after it, and its next midnight.
    expect(expiresAt).toMatchObject({ Base: null, PerSession: null, TwoHours: T0 + 2 * HOUR, Daily: Date.parse("2026-06-02T00:00:00Z") });
    expect(expiresAt.Once).toBeLessThanOrEqual(T0);

    const listed = await lpJson(["cache", "ls", SHARED], T0 + HOUR);
    expect(Object.fromEntries(listed.entries.map((e: { key: string; state: string }) => [e.key, e.state]))).toEqual({
      Base: "fresh",
      Daily: "fresh",
      Once: "expired",
      PerSession: "expired",
      TwoHours: "fresh",
    });
    const graph = await lpJson(["graph", SHARED], T0 + HOUR);
    expect(graph.tasks.find((t: { name: string }) => t.name === "Base").state).toBe("cached");

    // A second coordinator, three hours on: the two-hour result has expired, midnight has not come.
    const second = await lpJson(["run", SHARED], T0 + 3 * HOUR);
    expect(states(second)).toEqual({ Base: "cached", PerSession: "executed", Once: "executed", Daily: "cached", TwoHours: "executed" });
    // A third, after midnight: the daily result is gone too.
    const third = await lpJson(["run", SHARED], Date.parse("2026-06-02T00:30:00Z"));
    expect(states(third)).toEqual({ Base: "cached", PerSession: "executed", Once: "executed", Daily: "executed", TwoHours: "executed" });
    expect(ranIn("Base")).toHaveLength(1);
    expect(ranIn("Daily")).toHaveLength(2);
    expect(ranIn("PerSession")).toHaveLength(3);
  });

  it("lp shell --redis runs on the workers; its session's results stay fresh within it and not beyond", async () => {
    newMarks();
    await startWorker();
    const shell = await run(process.execPath, [CLI, "shell", SHARED, "--redis", server.url], env({ LP_TEST_NOW: at(T0) }), "execute\nexecute\nstatus\nexit\n");
    expect(shell.code).toBe(0);
    // The second execute in the same shell found the session's result fresh.
    expect(ranIn("PerSession")).toHaveLength(1);
    expect(ranIn("Base")).toHaveLength(1);
    expect(shell.stdout).toMatch(/PerSession\s.*cached/);
    // A new process is a new session: PerSession is expired there, Base is not.
    const status = await lpJson(["status", SHARED], T0);
    expect(states(status)).toMatchObject({ Base: "cached", PerSession: "expired" });
    // `lp cache clear --redis` removes from the shared store, which every process then sees.
    const cleared = await run(process.execPath, [CLI, "cache", "clear", SHARED, "--task", "Base", "--redis", server.url], env());
    expect(cleared.code).toBe(0);
    expect(states(await lpJson(["status", SHARED], T0))).toMatchObject({ Base: "not cached" });
  });

  it("lp cache prune --redis removes what has expired in the shared store; lp cache verify --redis runs a result that fails its digest again on the workers", async () => {
    newMarks();
    const worker = await startWorker();
    expect((await lpJson(["run", SHARED], T0)).ok).toBe(true);
    // Three hours on, the two-hour result has expired: prune removes it for everyone.
    const pruned = await run(process.execPath, [CLI, "cache", "prune", SHARED, "--redis", server.url], env({ LP_TEST_NOW: at(T0 + 3 * HOUR) }));
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/^Pruned \d+ expired or unreadable results? \(.*TwoHours.*\)/);
    expect(pruned.stdout).not.toMatch(/Daily|Base/);
    const keys = (await lpJson(["cache", "ls", SHARED], T0)).entries.map((e: { key: string }) => e.key);
    expect(keys).toContain("Base");
    expect(keys).not.toContain("TwoHours");
    // Base's body no longer matches its digest.
    const store = new RedisStore({ url: server.url, prefix: `lp:{Shared${n}}` });
    const meta = (await store.getMeta("Base"))!;
    await store.put("Base", new TextEncoder().encode("99"), meta);
    await store.close();
    const verified = await run(process.execPath, [CLI, "cache", "verify", SHARED, "--redis", server.url], env({ LP_TEST_NOW: at(T0) }));
    expect(verified.stdout).toMatch(/failed \(Base\) and ran again/);
    expect(verified.code).toBe(0);
    expect(ranIn("Base")).toEqual([String(worker.child.pid), String(worker.child.pid)]);
  });

  it("lp status --redis with no Redis there fails, naming the URL, instead of reporting an empty cache", async () => {
    newMarks();
    const port = await freePort();
    const done = await run(process.execPath, [CLI, "status", SHARED, "--redis", `redis://127.0.0.1:${port}`], env());
    expect(done.code).toBe(1);
    expect(done.stderr).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
    expect(done.stdout).not.toContain("would run");
  });

  it("lp worker with no Redis there exits 1 at once, naming the URL", async () => {
    newMarks();
    const port = await freePort();
    const done = await run(process.execPath, [CLI, "worker", SHARED, "--redis", `redis://127.0.0.1:${port}`], env());
    expect(done.code).toBe(1);
    expect(done.stderr).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
    expect(done.stdout).not.toContain("is taking");
  });

  it("lp worker --threads runs attempts on worker threads, several at once in one process", async () => {
    newMarks();
    const worker = await startWorker(["--threads", "2"], { LP_TEST_CPU: "1" });
    expect(worker.out()).toContain("is taking");
    const all = await lpJson(["run", SHARED], T0, { LP_TEST_CPU: "1" });
    expect(all.ok).toBe(true);
    const spins: { pid: number; threadId: number; started: number; ended: number }[] = [];
    for (let i = 0; i < 4; i++) spins.push(await lpResult(`Spin${i}`));
    // All in the worker process, on threads other than its main thread.
    expect(new Set(spins.map((s) => s.pid))).toEqual(new Set([worker.child.pid]));
    expect(spins.every((s) => s.threadId > 0)).toBe(true);
    // Concurrency defaults to the thread count: two spins overlapped in time, on two threads.
    const overlapping = spins.some((a, i) => spins.some((b, j) => i !== j && a.started < b.ended && b.started < a.ended && a.threadId !== b.threadId));
    expect(overlapping).toBe(true);
  });

  /** A stored result as the API reads it from the shared store, in a process of its own. */
  async function lpResult(task: string): Promise<any> {
    const script = `
      const { redisStore } = await import("@lp/bullmq");
      const { default: pipeline } = await import(${JSON.stringify(join(PKG, SHARED))});
      await pipeline.useStore(redisStore({ url: ${JSON.stringify(server.url)} }));
      console.log(JSON.stringify(await pipeline.getResult(${JSON.stringify(task)})));
      await pipeline.close();
    `;
    const done = await run(process.execPath, ["--input-type=module", "-e", script], env({ LP_TEST_CPU: "1" }));
    if (done.code !== 0) throw new Error(`reading ${task}: ${done.stderr}`);
    return JSON.parse(done.stdout.trim().split("\n").at(-1)!);
  }
});
