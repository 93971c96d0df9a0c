import type { ProcessTiming, TaskIdentity } from "@lp/core";
import type { ForwardedLevel, WireError } from "@lp/core/internal";

/**
 * What travels between a coordinator and its workers. Job data and replies are JSON in
 * BullMQ; bodies travel as bytes in plain Redis keys beside the job, never in JSON.
 */

/** BullMQ's key prefix for little-pipelines queues. */
export const QUEUE_PREFIX = "lp";
/** How long a job's inputs, output and record outlive a coordinator that never collects them. */
export const LEFTOVER_TTL_MS = 60 * 60 * 1000;
/** A coordinator's heartbeat: refreshed this often, and gone this long after it stops. */
export const HEARTBEAT_EVERY_MS = 2_000;
export const HEARTBEAT_TTL_MS = 10_000;

/** One attempt to run. */
export interface AttemptJob {
  /** The attempt's identity, without `branch`: job data is JSON, which would change an item. */
  identity: TaskIdentity;
  /** For a branch of a mapped task: its index, and its item in Node's structured serialization (base64). */
  branch?: { index: number; item: string };
  /** The coordinator's id: a worker skips jobs of a coordinator whose heartbeat stopped. */
  coordinator: string;
}

/** A worker's answer, the job's return value. */
export type AttemptReply =
  | { ok: true; type: string; empty: boolean; processes: ProcessTiming[]; ranOn: string; serializer?: string | undefined }
  | { ok: false; error: WireError; ranOn: string }
  | { ok: false; orphaned: true; ranOn: string };

/** Live news of a running attempt, as BullMQ progress events, in order. */
export type AttemptNews =
  | { t: "log"; level: LogLevel; message: string; args: unknown[] }
  | { t: "process"; name: string; ms: number };

/** A forwarded log line's level (core's `ForwardedLevel`). */
export type LogLevel = ForwardedLevel;

/** Names of one pipeline's queue and keys. Coordinator and workers derive the same ones from the pipeline's name. */
export class PipelineKeys {
  /** BullMQ queue name (no `:` allowed there). */
  readonly queue: string;
  /** Prefix of the shared result store and of the keys below. */
  readonly store: string;

  constructor(pipeline: string) {
    this.queue = `pipeline-${encodeURIComponent(pipeline)}`;
    this.store = `lp:{${pipeline}}`;
  }

  /** Hash of the upstream results an attempt may read: `b:<task>` body, `s:<task>` serializer, `e:<task>` error. */
  inputs(jobId: string): string {
    return `${this.store}:in:${jobId}`;
  }

  /** The result body a worker produced. */
  output(jobId: string): string {
    return `${this.store}:out:${jobId}`;
  }

  coordinator(id: string): string {
    return `${this.store}:coordinator:${id}`;
  }

  /** Pub/sub channel on which coordinators announce aborted jobs. */
  get abort(): string {
    return `${this.store}:abort`;
  }
}
