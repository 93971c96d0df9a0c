import { inspect } from "node:util";
import type { TaskLogger } from "@lp/core";
import { forwardingTaskLogger } from "@lp/core/internal";
import type { Job } from "bullmq";
import type { AttemptNews, LogLevel } from "./protocol.js";

/**
 * A running attempt's news to its coordinator: logger lines and process timings as BullMQ
 * progress events, sent one after another so they arrive in the order they happened.
 */
export class NewsChannel {
  readonly #job: Job;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(job: Job) {
    this.#job = job;
  }

  #send(news: AttemptNews): void {
    this.#chain = this.#chain.then(() => this.#job.updateProgress(news)).catch(() => {});
  }

  /** Resolves once everything sent so far is in Redis: the outcome must not overtake it. */
  flushed(): Promise<unknown> {
    return this.#chain;
  }

  process(name: string, ms: number): void {
    this.#send({ t: "process", name, ms });
  }

  #log(level: LogLevel, message: string, args: unknown[]): void {
    // Events are JSON: anything else travels as its printed form.
    this.#send({ t: "log", level, message, args: args.map((a) => (a === null || ["string", "number", "boolean"].includes(typeof a) ? a : inspect(a))) });
  }

  /** `this.logger` on the worker: every level the coordinator's task logger has. */
  logger(task: string): TaskLogger {
    return forwardingTaskLogger(`Task "${task}"`, (level, message, args) => this.#log(level, message, args));
  }
}
