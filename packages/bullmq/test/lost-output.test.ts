import { type AttemptRequest, Pipeline, type TaskLogger, task } from "@lp/core";
import { connect } from "@lp/redis";
import { hasRedisServer, startRedisServer, type TestRedis } from "@lp/redis/testing";
import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkerLostError, bullmqExecutor } from "../src/index.js";
import { PipelineKeys, QUEUE_PREFIX } from "../src/protocol.js";

let server: TestRedis;
const quiet = new Proxy({}, { get: () => () => {} }) as TaskLogger;

describe.runIf(hasRedisServer())("a finished job whose result the coordinator cannot read", () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it("fails the attempt as worker lost, naming the task and why, with no unhandled rejection", async () => {
    const pipeline = new Pipeline("Unreadable");
    pipeline.add(task("T", { run: () => 1 }));
    const keys = new PipelineKeys(pipeline.name);
    const admin = await connect(server.url);
    // A worker of its own: it answers "done", but what it leaves under the output key is no body.
    const worker = new Worker(
      keys.queue,
      async (job) => {
        await admin.hset(keys.output(job.id!), "not", "a body");
        return { ok: true, type: "number", empty: false, processes: [], ranOn: "stand-in" };
      },
      { connection: { url: server.url }, prefix: QUEUE_PREFIX },
    );
    const executor = bullmqExecutor({ url: server.url });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const request: AttemptRequest = {
        identity: { pipeline: pipeline.name, task: "T", module: undefined, codeDigest: "d", attempt: 1 },
        task: pipeline.getTask("T"),
        pipeline,
        signal: new AbortController().signal,
        logger: quiet,
        readResult: () => Promise.reject(new Error("no dependencies")),
        onProcess: () => {},
      };
      const error = await Promise.race([
        executor.run(request).then(
          () => new Error("resolved"),
          (e: unknown) => e,
        ),
        new Promise((resolve) => setTimeout(() => resolve(new Error("still waiting after 30 s")), 30_000)),
      ]);
      expect(error).toBeInstanceOf(WorkerLostError);
      expect((error as Error).message).toMatch(/^Task "T": attempt 1 failed: worker lost \(worker stand-in finished, but its result could not be read from Redis: WRONGTYPE/);
      expect((error as WorkerLostError).retryable).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await worker.close();
      admin.disconnect();
      await executor.close();
      await pipeline.close();
    }
  }, 60_000);
});
