/**
 * The run-wide `concurrency` as permits: a task holds one while it runs, and a mapped task
 * lends its own to its branches, each of which holds one while it runs. So tasks and
 * branches together never exceed the limit.
 *
 * A permit given back goes first to the scheduler's ready tasks (`onFree`), then to
 * waiting branches in order: a task that became ready is not held up by a long map, and a
 * map still progresses once the ready tasks have started.
 */
export class ConcurrencyPermits {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  #head = 0;
  /** Called when a permit is given back, before waiters are served: the scheduler's pump. */
  onFree: () => void = () => {};

  constructor(limit: number) {
    this.#free = limit;
  }

  /** Takes a permit if one is free at once. */
  tryTake(): boolean {
    if (this.#free <= 0) return false;
    this.#free--;
    return true;
  }

  /** Resolves once a permit is taken for the caller (in order of asking). */
  take(): Promise<void> {
    if (this.#head === this.#waiting.length && this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Gives a permit back. */
  give(): void {
    this.#free++;
    this.onFree();
    while (this.#free > 0 && this.#head < this.#waiting.length) {
      this.#free--;
      const next = this.#waiting[this.#head]!;
      this.#waiting[this.#head++] = undefined as never;
      next();
    }
    if (this.#head === this.#waiting.length) {
      this.#waiting.length = 0;
      this.#head = 0;
    }
  }
}
