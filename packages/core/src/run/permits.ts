/**
 * Saves in flight at once, whatever the concurrency: each may hold files open. A chain of
 * quick tasks goes on making results while earlier saves sync (a store may start a sync
 * for the saves it has before this bound is reached), and waits only when this many are in
 * flight, that is when the disk is slower than the tasks: then it waits for the oldest
 * save's sync to end. The bound is the most saves one sync can cover (64 keeps a
 * 10,000-task chain off the disk's latency for most of its time, and far below any
 * open-file limit).
 */
export const MAX_SAVES_IN_FLIGHT = 64;
/** Bytes of results waiting to be saved at once; a bigger result is saved alone. */
export const MAX_SAVING_BYTES = 64 * 1024 * 1024;

/**
 * Bounds the saves in flight, by count and by bytes. A task whose result is serialized
 * frees its concurrency slot before its save is durable (so that consecutive saves share
 * disk syncs); without a bound, thousands of saves could pile up behind, holding files open
 * and every result's bytes in memory. A task waits here, holding its slot, until its save
 * fits. Waiters are served in order.
 */
export class SavePermits {
  readonly #count: number;
  readonly #bytes: number;
  #held = 0;
  #heldBytes = 0;
  readonly #waiting: { bytes: number; resolve: () => void }[] = [];

  constructor(count = MAX_SAVES_IN_FLIGHT, bytes = MAX_SAVING_BYTES) {
    this.#count = count;
    this.#bytes = bytes;
  }

  #fits(bytes: number): boolean {
    return this.#held < this.#count && (this.#held === 0 || this.#heldBytes + bytes <= this.#bytes);
  }

  #take(bytes: number): void {
    this.#held++;
    this.#heldBytes += bytes;
  }

  /**
   * The function that gives the permit back, once a save of `bytes` fits: at once when it
   * fits now (no promise to wait on: most saves), else through a promise.
   */
  acquire(bytes: number): (() => void) | Promise<() => void> {
    if (this.#waiting.length === 0 && this.#fits(bytes)) {
      this.#take(bytes);
      return this.#giver(bytes);
    }
    // A waiter's permit is taken for it by the release that lets it in.
    return new Promise((resolve) => this.#waiting.push({ bytes, resolve: () => resolve(this.#giver(bytes)) }));
  }

  #giver(bytes: number): () => void {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#held--;
      this.#heldBytes -= bytes;
      while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!.bytes)) {
        const next = this.#waiting.shift()!;
        this.#take(next.bytes);
        next.resolve();
      }
    };
  }
}
