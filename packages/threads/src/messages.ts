import type { AttemptResult, ResultBytes, TaskIdentity } from "@lp/core";
import type { ForwardedLevel, WireError } from "@lp/core/internal";
import type { MessagePort } from "node:worker_threads";

/** What the pool hands a worker for one attempt: who to run, and the port to talk through. */
export interface WorkerJob {
  identity: TaskIdentity;
  port: MessagePort;
}

/** A forwarded log line's level (core's `ForwardedLevel`). */
export type LogLevel = ForwardedLevel;

/** Worker to scheduler, in the order they happen: the attempt's lines, calls, reads and outcome. */
export type FromWorker =
  | { type: "log"; level: LogLevel; message: string; args: unknown[] }
  | { type: "process"; name: string; durationMs: number }
  | { type: "read"; id: number; name: string }
  | { type: "done"; result: AttemptResult }
  | { type: "fail"; error: WireError };

/** Scheduler to worker: answers to reads, and the order to stop. */
export type ToWorker =
  | { type: "read:ok"; id: number; bytes: ResultBytes }
  | { type: "read:fail"; id: number; error: WireError }
  | { type: "abort"; reason: WireError };
