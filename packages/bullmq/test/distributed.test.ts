import { hasRedisServer, startRedisServer, type TestRedis } from "@lp/redis/testing";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { Queue } from "bullmq";
import { RedisStore, RedisUnreachableError, bullmqExecutor } from "../src/index.js";
import { freePort } from "@lp/redis/testing";
import { cleanUp, markOf, project, startCoordinator, startWorkerProcess, until } from "./processes.js";

let server: TestRedis;
let n = 0;
const EXPECTED = { Report: "5050/100/338350", Slow: "5050/100/338350 slowly" };

/** Env for one test's processes: its own pipeline name, so tests share nothing in Redis. */
function envFor(module: string, marks: string, extra: Record<string, string> = {}): Record<string, string> {
  return { LP_TEST_REDIS: server.url, LP_TEST_MODULE: module, LP_TEST_MARKS: marks, LP_TEST_PIPELINE: `Distributed${n}`, ...extra };
}

describe.runIf(hasRedisServer())("distributed runs on BullMQ", () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    await cleanUp();
    n++;
  });

  it("runs a pipeline across three worker processes with correct results, then resumes it from the shared store", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_MEET: "1" });
    const workers = await Promise.all([1, 2, 3].map(() => startWorkerProcess(env)));
    const coordinator = startCoordinator(env);
    const { summary, results } = await coordinator.result;
    expect(summary.ok).toBe(true);
    expect(results).toMatchObject({ Numbers: expect.any(Array), Sum: 5050, Max: 100, Squares: 338350, ...EXPECTED });
    // Sum, Max and Squares ran at once: on different workers; each record names its worker.
    const ranOn = summary.tasks.map((t: { ranOn?: string }) => t.ranOn);
    expect(ranOn.every((r: unknown) => typeof r === "string")).toBe(true);
    expect(new Set(ranOn).size).toBeGreaterThanOrEqual(2);
    const pids = new Set(["Sum", "Max", "Squares"].map((t) => markOf(marks, t)));
    expect(pids.size).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect(workers.map((w) => w.child.pid)).toContain(pid);
    // The worker's log line reached the coordinator's log as one of the task's lines.
    expect(coordinator.out()).toMatch(/Report\s*: INFO : combining/);
    const again = await startCoordinator(env).result;
    expect(again.summary.tasks.map((t: { state: string }) => t.state)).toEqual(Array(6).fill("cached"));
    expect(again.results).toMatchObject(EXPECTED);
  });

  it("runs a mapped task's branches on workers, each with its own item as it was (a Date stays a Date)", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_MAPPED: "1" });
    const workers = await Promise.all([1, 2].map(() => startWorkerProcess(env)));
    const { summary, results } = await startCoordinator(env).result;
    expect(summary.ok).toBe(true);
    const described = results.Described as string[];
    expect(described.map((d) => d.split(" on ")[0])).toEqual(["0:Date 2026-01-01", "1:Date 2026-02-01", "2:Map k=1"]);
    // The branches ran in the worker processes, not in the coordinator.
    const pids = workers.map((w) => String(w.child.pid));
    for (const d of described) expect(pids).toContain(d.split(" on ")[1]);
  });

  it("keeps a task error's class, message, code and stack across machines", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_BROKEN: "1" });
    await startWorkerProcess(env);
    const { summary } = await startCoordinator(env).result;
    const broken = summary.tasks.find((t: { name: string }) => t.name === "Broken");
    expect(broken.state).toBe("failed");
    expect(broken.error).toMatchObject({ name: "BadInput", code: "E_BAD_INPUT", message: "row 7 has no date" });
    expect(broken.error.stack).toContain(module);
    expect(summary.tasks.find((t: { name: string }) => t.name === "Slow").state).toBe("executed");
  });

  it("a worker killed mid-task: another worker takes the attempt over and the run completes", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_SLOW_MS: "3000" });
    const workers = await Promise.all([1, 2].map(() => startWorkerProcess(env)));
    const coordinator = startCoordinator(env);
    await until(() => markOf(marks, "Slow-started") !== undefined, "Slow to start");
    const victim = workers.find((w) => w.child.pid === markOf(marks, "Slow-started"))!;
    victim.child.kill("SIGKILL");
    const { summary, results } = await coordinator.result;
    expect(summary.ok).toBe(true);
    expect(results.Slow).toBe(EXPECTED.Slow);
    const survivor = workers.find((w) => w !== victim)!;
    expect(markOf(marks, "Slow")).toBe(survivor.child.pid);
    // Stalled-job recovery handed over the same attempt: it did not use up a retry.
    expect(summary.tasks.find((t: { name: string }) => t.name === "Slow").attempts).toBe(1);
  });

  it("an attempt whose workers are killed more often than stalled-job recovery allows fails as worker lost, and the task's own retry runs it again", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_SLOW_MS: "600000", LP_TEST_SLOW_RETRIES: "1" });
    const workers = await Promise.all([1, 2, 3].map(() => startWorkerProcess(env)));
    const coordinator = startCoordinator(env);
    const killed: number[] = [];
    // maxStalledCount is 1: the first loss hands the attempt to another worker, the second fails it.
    for (const round of [1, 2]) {
      await until(() => {
        const pid = markOf(marks, "Slow-started");
        return pid !== undefined && !killed.includes(pid);
      }, `Slow to start (round ${round})`);
      const pid = markOf(marks, "Slow-started")!;
      killed.push(pid);
      workers.find((w) => w.child.pid === pid)!.child.kill("SIGKILL");
    }
    const { summary, results } = await coordinator.result;
    const slow = summary.tasks.find((t: { name: string }) => t.name === "Slow");
    expect(summary.ok).toBe(true);
    expect(slow.attempts).toBe(2);
    expect(results.Slow).toBe(EXPECTED.Slow);
    // The retry ran on the one worker left.
    const survivor = workers.find((w) => !killed.includes(w.child.pid!))!;
    expect(markOf(marks, "Slow")).toBe(survivor.child.pid);
    // The lost attempt was reported, naming the task and what happened.
    expect(coordinator.out()).toMatch(/Attempt 1 failed: Task "Slow": attempt 1 failed: worker lost \(the workers running it stopped answering more often than stalled-job recovery allows/);
  });

  it("without retries, an attempt lost with its workers fails the task with LP_WORKER_LOST", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_SLOW_MS: "600000" });
    // A third worker stays alive: stalled jobs are found by the workers that are left.
    const workers = await Promise.all([1, 2, 3].map(() => startWorkerProcess(env)));
    const coordinator = startCoordinator(env);
    for (const round of [1, 2]) {
      await until(() => markOf(marks, "Slow-started") !== undefined, `Slow to start (round ${round})`);
      const pid = markOf(marks, "Slow-started")!;
      rmSync(join(marks, "Slow-started"));
      workers.find((w) => w.child.pid === pid)!.child.kill("SIGKILL");
    }
    const { summary } = await coordinator.result;
    const slow = summary.tasks.find((t: { name: string }) => t.name === "Slow");
    expect(slow.state).toBe("failed");
    expect(slow.attempts).toBe(1);
    expect(slow.error).toMatchObject({ name: "WorkerLostError", code: "LP_WORKER_LOST" });
    expect(slow.error.message).toMatch(/^Task "Slow": attempt 1 failed: worker lost \(.*\)\. Give the task `retries`/);
    expect(summary.tasks.filter((t: { state: string }) => t.state === "executed")).toHaveLength(5);
  });

  it("a coordinator killed mid-run: running it again resumes without re-running finished tasks", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_SLOW_MS: "3000" });
    await startWorkerProcess(env);
    const first = startCoordinator(env);
    await until(() => markOf(marks, "Slow-started") !== undefined, "Slow to start");
    first.child.kill("SIGKILL");
    await first.exited;
    const store = new RedisStore({ url: server.url, prefix: `lp:{Distributed${n}}` });
    expect((await store.list()).map((m) => m.key).sort()).toEqual(["Max", "Numbers", "Report", "Squares", "Sum"]);
    await store.close();
    const { summary, results } = await startCoordinator({ ...env, LP_TEST_SLOW_MS: "100" }).result;
    const states = Object.fromEntries(summary.tasks.map((t: { name: string; state: string }) => [t.name, t.state]));
    expect(states).toEqual({ Numbers: "cached", Sum: "cached", Max: "cached", Squares: "cached", Report: "cached", Slow: "executed" });
    expect(results.Slow).toBe(EXPECTED.Slow);
  });

  it("a worker whose code differs refuses the job, naming the task and both fingerprints", async () => {
    const { module, marks } = project();
    const edited = project((source) => source.replace("return Array.from({ length: 100 }", "return Array.from({ length: 10 }"));
    await startWorkerProcess(envFor(edited.module, edited.marks));
    const { summary } = await startCoordinator(envFor(module, marks)).result;
    const numbers = summary.tasks.find((t: { name: string }) => t.name === "Numbers");
    expect(numbers.state).toBe("failed");
    expect(numbers.attempts).toBe(1);
    expect(numbers.error.code).toBe("LP_VERSION_SKEW");
    expect(numbers.error.message).toMatch(/^Task "Numbers": worker \S+ refused the job: its code fingerprint is \S+, the coordinator's is \S+\./);
    expect(markOf(edited.marks, "Numbers")).toBeUndefined();
  });

  it("two coordinators running the same pipeline at once leave a consistent shared store", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks);
    await Promise.all([1, 2].map(() => startWorkerProcess(env)));
    const [one, two] = await Promise.all([startCoordinator(env).result, startCoordinator(env).result]);
    for (const { summary, results } of [one, two]) {
      expect(summary.ok).toBe(true);
      expect(results).toMatchObject(EXPECTED);
    }
    const corrupt: string[] = [];
    const store = new RedisStore({ url: server.url, prefix: `lp:{Distributed${n}}`, onCorrupt: (key) => corrupt.push(key) });
    const metas = await store.list();
    expect(metas).toHaveLength(6);
    for (const meta of metas) expect((await store.get(meta.key))?.meta.digest).toBe(meta.digest);
    expect(corrupt).toEqual([]);
    await store.close();
  });

  it("Redis lost mid-run: the waiting attempt fails naming the URL and the coordinator exits, instead of waiting for ever", async () => {
    // A server of its own, to stop under the run.
    const own = await startRedisServer();
    onTestFinished(() => own.stop());
    const { module, marks } = project();
    const env = { ...envFor(module, marks, { LP_TEST_SLOW_MS: "600000", LP_TEST_NO_RESULTS: "1" }), LP_TEST_REDIS: own.url };
    await startWorkerProcess(env);
    const coordinator = startCoordinator(env);
    await until(() => markOf(marks, "Slow-started") !== undefined, "Slow to start");
    await own.stop();
    const { summary } = await coordinator.result;
    const slow = summary.tasks.find((t: { name: string }) => t.name === "Slow");
    expect(slow.state).toBe("failed");
    expect(slow.error.code).toBe("LP_REDIS_UNREACHABLE");
    expect(slow.error.message).toContain(`Redis at ${own.url} is unreachable (lost during the run`);
    expect(summary.tasks.filter((t: { state: string }) => t.state === "executed")).toHaveLength(5);
    expect(coordinator.out()).not.toContain("Unhandled error event");
  }, 180_000);

  it("Ctrl-C on the coordinator aborts the running attempt and removes queued ones", async () => {
    const { module, marks } = project();
    const env = envFor(module, marks, { LP_TEST_SUM_MS: "20000" });
    const worker = await startWorkerProcess(env);
    const coordinator = startCoordinator(env);
    await until(() => markOf(marks, "Sum-started") !== undefined, "Sum to start");
    coordinator.child.kill("SIGINT");
    const { summary } = await coordinator.result;
    expect(summary.interrupted).toBe(true);
    await until(() => markOf(marks, "aborted") !== undefined, "the worker to abort Sum");
    const queue = new Queue(`pipeline-Distributed${n}`, { connection: { url: server.url }, prefix: "lp" });
    expect(await queue.getJobCounts("waiting", "active", "delayed")).toEqual({ waiting: 0, active: 0, delayed: 0 });
    await queue.close();
    expect(worker.out()).not.toMatch(/start (Max|Squares)/);
  });
});

describe("a distributed run without Redis", () => {
  it("fails at once with an error naming the URL", async () => {
    const port = await freePort();
    const executor = bullmqExecutor({ url: `redis://127.0.0.1:${port}` });
    const error = await executor.connect("P").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnreachableError);
    expect((error as Error).message).toContain(`redis://127.0.0.1:${port}`);
    await executor.close();
  });
});
