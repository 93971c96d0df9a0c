import { type AttemptRequest, type AttemptResult, AbortedError } from "@lp/core";
import { errorFromWire, errorToWire } from "@lp/core/internal";
import type { Piscina } from "piscina";
import { WorkerCrashError } from "./errors.js";
import type { FromWorker, ToWorker, WorkerJob } from "./messages.js";

/** How long an aborted attempt may take to stop by itself before its thread is terminated. */
const ABORT_GRACE_MS = 200;
/** How long the outcome may trail the pool's own "finished" message (they use different ports). */
const OUTCOME_WAIT_MS = 5_000;

/**
 * Runs one attempt on a pool thread and bridges its port: lines to the task's logger,
 * process timings to the run, result reads answered with bytes, the outcome back.
 * When the attempt's signal aborts, the worker's `this.signal` aborts too, and a thread
 * still busy after a short grace is terminated, which frees it.
 */
export function runOnThread(pool: Piscina, request: AttemptRequest): Promise<AttemptResult> {
  const { identity, signal } = request;
  // The global is node:worker_threads' MessageChannel; importing that module instead would
  // load it with the package, which costs every run, threads or not.
  const { port1, port2 } = new MessageChannel();
  const kill = new AbortController();
  let grace: NodeJS.Timeout | undefined;
  let trailing: NodeJS.Timeout | undefined;
  const post = (message: ToWorker, transfer?: ArrayBuffer[]) => port1.postMessage(message, transfer);
  const onAbort = () => {
    post({ type: "abort", reason: errorToWire(signal.reason ?? new AbortedError(identity.task)) });
    grace = setTimeout(() => kill.abort(signal.reason), ABORT_GRACE_MS);
  };

  let settled = false;
  const outcome = new Promise<AttemptResult>((resolve, reject) => {
    const answerRead = (id: number, name: string) =>
      request.readResult(name).then(
        ({ body, serializer }) => {
          // The run keeps its own copy; the worker gets one it owns.
          const copy = new Uint8Array(body);
          post({ type: "read:ok", id, bytes: { body: copy, serializer } }, [copy.buffer]);
        },
        (error: unknown) => post({ type: "read:fail", id, error: errorToWire(error) }),
      );
    port1.on("message", (message: FromWorker) => {
      switch (message.type) {
        case "log":
          try {
            if (message.level === "perf") request.logger.perf(message.message, message.args[0] as number);
            else request.logger[message.level](message.message, ...message.args);
          } catch {
            // A faulty logger never fails a task.
          }
          return;
        case "process":
          request.onProcess(message.name, message.durationMs);
          return;
        case "read":
          void answerRead(message.id, message.name);
          return;
        case "done":
          resolve(message.result);
          return;
        case "fail":
          reject(errorFromWire(message.error));
      }
    });
    const job: WorkerJob = { identity, port: port2 };
    pool.run(job, { transferList: [port2], signal: kill.signal }).then(
      () => {
        if (settled) return;
        trailing = setTimeout(
          () => reject(new WorkerCrashError(identity.task, identity.attempt, "the worker finished without sending a result")),
          OUTCOME_WAIT_MS,
        );
      },
      (error: unknown) => {
        if (kill.signal.aborted) reject(signal.reason ?? new AbortedError(identity.task));
        else reject(new WorkerCrashError(identity.task, identity.attempt, (error as Error)?.message ?? String(error), error));
      },
    );
  });

  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return outcome.finally(() => {
    settled = true;
    signal.removeEventListener("abort", onAbort);
    clearTimeout(grace);
    clearTimeout(trailing);
    port1.close();
  });
}
