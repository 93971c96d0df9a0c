import type { AttemptResult, ResultBytes, TaskLogger } from "@lp/core";
import { errorFromWire, errorToWire, forwardingTaskLogger } from "@lp/core/internal";
import type { MessagePort } from "node:worker_threads";
import { inspect } from "node:util";
import type { FromWorker, LogLevel, ToWorker } from "./messages.js";

/**
 * The worker's end of one attempt's port: the task's logger lines, process timings and
 * result reads go to the scheduler in the order they happen; an abort comes back.
 */
export class MainChannel {
  readonly #port: MessagePort;
  readonly #reads = new Map<number, { resolve: (bytes: ResultBytes) => void; reject: (error: Error) => void }>();
  readonly #abort = new AbortController();
  #nextId = 0;

  constructor(port: MessagePort) {
    this.#port = port;
    port.on("message", (message: ToWorker) => this.#receive(message));
  }

  /** `this.signal` inside the worker: aborted when the scheduler says stop. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  #receive(message: ToWorker): void {
    if (message.type === "abort") {
      this.#abort.abort(errorFromWire(message.reason));
      return;
    }
    const pending = this.#reads.get(message.id);
    if (!pending) return;
    this.#reads.delete(message.id);
    if (message.type === "read:ok") pending.resolve(message.bytes);
    else pending.reject(errorFromWire(message.error));
  }

  send(message: FromWorker, transfer?: ArrayBuffer[]): void {
    this.#port.postMessage(message, transfer);
  }

  /** Another task's result, as bytes, from the scheduler. */
  read(name: string): Promise<ResultBytes> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#reads.set(id, { resolve, reject });
      this.send({ type: "read", id, name });
    });
  }

  #log(level: LogLevel, message: string, args: unknown[]): void {
    try {
      this.send({ type: "log", level, message, args });
    } catch {
      // Arguments that cannot be cloned (functions, sockets) travel as their printed form.
      this.send({ type: "log", level, message, args: args.map((a) => (typeof a === "string" ? a : inspect(a))) });
    }
  }

  /** `this.logger` inside the worker: every level the scheduler's task logger has. */
  logger(task: string): TaskLogger {
    return forwardingTaskLogger(`Task "${task}"`, (level, message, args) => this.#log(level, message, args));
  }

  /** Reports the attempt's outcome, last, then closes the port. */
  finish(outcome: { result: AttemptResult } | { error: unknown }): void {
    try {
      if ("result" in outcome) {
        // The value stays here: only its bytes cross.
        const { body: bytes, serializer, type, empty, processes } = outcome.result;
        const body = ownBuffer(bytes);
        this.send({ type: "done", result: { body, type, empty, processes, ...(serializer ? { serializer } : {}) } }, [body.buffer as ArrayBuffer]);
      } else {
        this.send({ type: "fail", error: errorToWire(outcome.error) });
      }
    } finally {
      this.#port.close();
    }
  }
}

/** The bytes in an ArrayBuffer of their own, so that transferring it moves nothing else. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return new Uint8Array(bytes.buffer);
  }
  return new Uint8Array(bytes);
}
