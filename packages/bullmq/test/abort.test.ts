import { AbortedError, type AttemptRequest, Pipeline, type TaskLogger, task } from "@lp/core";
import { connect } from "@lp/redis";
import { hasRedisServer, startRedisServer, type TestRedis } from "@lp/redis/testing";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bullmqExecutor } from "../src/index.js";

let server: TestRedis;
const quiet = new Proxy({}, { get: () => () => {} }) as TaskLogger;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requestFor(pipeline: Pipeline, name: string, signal: AbortSignal, readResult?: AttemptRequest["readResult"]): AttemptRequest {
  const t = pipeline.getTask(name);
  return {
    identity: { pipeline: pipeline.name, task: name, module: undefined, codeDigest: "d", attempt: 1 },
    task: t,
    pipeline,
    signal,
    logger: quiet,
    readResult: readResult ?? (() => Promise.reject(new Error("no dependencies"))),
    onProcess: () => {},
  };
}

async function jobsLeft(pipeline: Pipeline): Promise<Record<string, number>> {
  const queue = new Queue(`pipeline-${pipeline.name}`, { connection: { url: server.url }, prefix: "lp" });
  try {
    return await queue.getJobCounts("waiting", "active", "delayed");
  } finally {
    await queue.close();
  }
}

describe.runIf(hasRedisServer())("a coordinator's attempt stopped before its job is queued", () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it("rejects with the abort reason, leaves no rejection unhandled and no job behind", async () => {
    const pipeline = new Pipeline("AbortRace");
    pipeline.add(task("Slow", { run: () => 1 }));
    const executor = bullmqExecutor({ url: server.url });
    await executor.connect(pipeline.name);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const admin = await connect(server.url);
    try {
      // Redis holds every write for a while: the job's enqueueing is in flight when Ctrl-C comes.
      await admin.call("CLIENT", "PAUSE", "1500", "WRITE");
      const controller = new AbortController();
      const attempt = executor.run(requestFor(pipeline, "Slow", controller.signal));
      attempt.catch(() => {});
      await sleep(300);
      const reason = new AbortedError("Slow");
      controller.abort(reason);
      await sleep(100);
      await expect(attempt).rejects.toBe(reason);
      await sleep(100);
      expect(unhandled).toEqual([]);
      expect(await jobsLeft(pipeline)).toEqual({ waiting: 0, active: 0, delayed: 0 });
    } finally {
      process.off("unhandledRejection", onUnhandled);
      admin.disconnect();
      await executor.close();
      await pipeline.close();
    }
  });

  it("an attempt stopped before it starts, or while its inputs are sent, is never queued", async () => {
    const pipeline = new Pipeline("AbortEarly");
    const numbers = task("Numbers", { run: () => [1, 2, 3] });
    pipeline.add(numbers, task("Sum", { dependencies: [numbers], run: () => 6 }));
    const executor = bullmqExecutor({ url: server.url });
    const admin = await connect(server.url);
    try {
      const before = new AbortController();
      const reason = new AbortedError("Sum");
      before.abort(reason);
      await expect(executor.run(requestFor(pipeline, "Sum", before.signal))).rejects.toBe(reason);

      const during = new AbortController();
      const stopped = executor.run(
        requestFor(pipeline, "Sum", during.signal, async () => {
          during.abort();
          return { body: new Uint8Array([1]), serializer: "v8" };
        }),
      );
      const error = await stopped.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DOMException);
      expect((error as DOMException).name).toBe("AbortError");
      expect(await jobsLeft(pipeline)).toEqual({ waiting: 0, active: 0, delayed: 0 });
      // The inputs sent for it are gone too.
      expect(await admin.keys("lp:{AbortEarly}:in:*")).toEqual([]);
    } finally {
      admin.disconnect();
      await executor.close();
      await pipeline.close();
    }
  });
});
