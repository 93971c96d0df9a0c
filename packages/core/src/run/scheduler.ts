import { ConcurrencyPermits } from "./concurrency.js";
import { type TaskSlot, letGo } from "./slot.js";

/**
 * The ready queue and the concurrency limit: starts tasks whose dependencies have let them
 * go, up to `concurrency` at once, and says when every started task has finished.
 */
export class Scheduler {
  readonly #slots: ReadonlyMap<string, TaskSlot>;
  /** The run's concurrency, shared with the branches of mapped tasks. */
  readonly permits: ConcurrencyPermits;
  readonly #signal: AbortSignal;
  readonly #now: () => number;
  readonly #start: (slot: TaskSlot) => void;
  readonly #onFinish: (slot: TaskSlot) => void;
  readonly #ready: TaskSlot[] = [];
  #readyHead = 0;
  /** Tasks started and not yet finished, their saves included. */
  #inFlight = 0;
  #finished = 0;
  /** Starting tasks: a task done at once must not start the next ones from within. */
  #pumping = false;
  #resolveAll!: () => void;
  readonly #all = new Promise<void>((resolve) => {
    this.#resolveAll = resolve;
  });

  /**
   * @param start - runs one task to its outcome, then calls {@link done}
   * @param onFinish - told of each finished task, after its dependents may start
   */
  constructor(options: {
    slots: ReadonlyMap<string, TaskSlot>;
    concurrency: number;
    signal: AbortSignal;
    now: () => number;
    start: (slot: TaskSlot) => void;
    onFinish: (slot: TaskSlot) => void;
  }) {
    this.#slots = options.slots;
    this.permits = new ConcurrencyPermits(options.concurrency);
    this.permits.onFree = () => {
      if (!this.#signal.aborted) this.#pump();
    };
    this.#signal = options.signal;
    this.#now = options.now;
    this.#start = options.start;
    this.#onFinish = options.onFinish;
  }

  /** Starts the tasks without dependencies; resolves once every started task has finished (all of them, unless aborted). */
  run(): Promise<void> {
    const onAbort = () => this.#drainOnAbort();
    this.#signal.addEventListener("abort", onAbort, { once: true });
    for (const slot of this.#slots.values()) if (slot.waiting === 0) this.#ready.push(slot);
    // Stopped before it started (or while the store opened): nothing will run.
    if (this.#slots.size === 0 || this.#signal.aborted) this.#resolveAll();
    else this.#pump();
    return this.#all.finally(() => this.#signal.removeEventListener("abort", onAbort));
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#readyHead < this.#ready.length && !this.#signal.aborted && this.permits.tryTake()) {
        const slot = this.#ready[this.#readyHead++]!;
        this.#inFlight++;
        slot.phase = "running";
        this.#start(slot);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** The task has its outcome: its concurrency slot is free and its dependents may start. */
  done(slot: TaskSlot): void {
    if (slot.phase === "done") return;
    // Done while tasks are being started (nothing to wait for): finish it once they have been.
    if (this.#pumping) return queueMicrotask(() => this.done(slot));
    this.release(slot);
    this.#finish(slot);
  }

  /**
   * Frees the task's concurrency slot and lets its dependents start. For an executed task
   * this happens once its result is serialized and held in memory, before the save is
   * durable (the task is `saving`), so that saves of consecutive tasks share disk syncs.
   */
  release(slot: TaskSlot): void {
    if (slot.phase !== "running") return;
    slot.phase = "saving";
    slot.record.releasedAt = this.#now();
    // Its attempt is over: it reads nothing more from its upstreams' in-memory copies.
    for (const up of slot.upstream) {
      up.readers--;
      letGo(up);
    }
    for (const d of slot.dependents) if (--d.waiting === 0) this.#ready.push(d);
    this.permits.give();
  }

  /** Whether `slot` is the one task of the run not finished yet (it may be saving): nothing else runs or waits to. */
  onlyUnfinished(slot: TaskSlot): boolean {
    return slot.phase !== "done" && this.#finished === this.#slots.size - 1 && !this.#signal.aborted;
  }

  #finish(slot: TaskSlot): void {
    slot.phase = "done";
    slot.finishOrder = ++this.#finished;
    this.#inFlight--;
    this.#onFinish(slot);
    if (this.#finished === this.#slots.size) this.#resolveAll();
    else if (this.#signal.aborted) this.#drainOnAbort();
  }

  /** After an abort, tasks not started stay `cancelled`; the run ends once started ones finish. */
  #drainOnAbort(): void {
    if (this.#inFlight === 0) this.#resolveAll();
  }
}
