import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { hasRedisServer, startRedisServer, type TestRedis } from "@lp/redis/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

const dir = join(import.meta.dirname, "..");
const lp = join(dirname(createRequire(import.meta.url).resolve("little-pipelines/package.json")), "dist", "cli.js");
const env = { ...process.env, LP_HOME: mkdtempSync(join(tmpdir(), "lp-example-distributed-")), NO_COLOR: "1" };
let server: TestRedis;
const workers: { child: ChildProcess; out: string }[] = [];

beforeAll(async () => {
  if (!hasRedisServer()) return;
  server = await startRedisServer();
  // The README's steps: two workers, then the coordinator.
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, [lp, "worker", "pipeline.ts", "--redis", server.url], { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"] });
    const worker = { child, out: "" };
    workers.push(worker);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        worker.out += chunk.toString();
        if (worker.out.includes("is taking")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`lp worker exited with ${code}: ${worker.out}`)));
    });
  }
});

afterAll(async () => {
  await Promise.all(workers.map(({ child }) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once("exit", resolve), child.kill("SIGTERM"))))));
  await server?.stop();
});

it.runIf(hasRedisServer())("runs on two workers through Redis, then finds every result there", async () => {
  const run = (...extra: string[]) => promisify(execFile)(process.execPath, [lp, "run", "pipeline.ts", "--redis", server.url, ...extra], { cwd: dir, env, encoding: "utf8" });
  const report = join(mkdtempSync(join(tmpdir(), "lp-example-report-")), "report.html");
  const first = await run("--report", report);
  expect(first.stdout).toMatch(/Ran 5\/5 tasks in /);
  // The four counts ran at once, so both workers had some; the report names each worker (host:pid).
  const html = readFileSync(report, "utf8");
  for (const { out, child } of workers) {
    expect(out).toMatch(/done +Count/);
    expect(html).toContain(`${hostname()}:${child.pid}`);
  }
  const second = await run();
  expect(second.stdout).toMatch(/Ran 0\/5 tasks in .*; cached 5/);
  // `lp status --redis` sees the shared results as fresh: nothing would run (exit 0 with --exit-code).
  const status = await promisify(execFile)(process.execPath, [lp, "status", "pipeline.ts", "--redis", server.url, "--json", "--exit-code"], { cwd: dir, env, encoding: "utf8" });
  expect(JSON.parse(status.stdout)).toMatchObject({ wouldRun: [] });
  const read = `import { pipeline, merge } from "./pipeline.ts"; import { redisStore } from "@lp/bullmq";
    await pipeline.useStore(redisStore({ url: "${server.url}" })); console.log(JSON.stringify(await pipeline.getResult(merge))); await pipeline.close();`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", read], { cwd: dir, env, encoding: "utf8" });
  expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual([["the", 7], ["in", 3], ["all", 2]]);
});
