import type { Logger, LoggerProvider, RunEvent, TaskLogger } from "../contracts/logger.js";
import { toTaskLogger } from "../logger/task-logger.js";
import type { HeldOutput, TaskSlot } from "./slot.js";

/**
 * Output in dependency order: a task may start while its upstream result still saves,
 * but its events and log lines are held until every upstream has reported done.
 */
export class OutputOrder {
  readonly #slots: ReadonlyMap<string, TaskSlot>;
  readonly #logger: LoggerProvider;
  readonly #now: () => number;
  /** Time of the latest output shown. */
  #lastShownAt = 0;

  constructor(slots: ReadonlyMap<string, TaskSlot>, logger: LoggerProvider, now: () => number) {
    this.#slots = slots;
    this.#logger = logger;
    this.#now = now;
  }

  /** Shows a run event now, or once the task's upstreams have reported done. */
  emit(event: RunEvent): void {
    const slot = "task" in event && event.task !== undefined ? this.#slots.get(event.task) : undefined;
    if (slot && (slot.held.length > 0 || this.#waitsForReport(slot))) hold(slot, event);
    else this.#deliver(event);
  }

  /** The task's logger with the seed's levels, its lines kept in order with the run's events. */
  taskLogger(slot: TaskSlot, base: Logger | (() => Logger)): TaskLogger {
    return toTaskLogger(base, `Task "${slot.task.name}"`, (call) =>
      this.#inOrder(slot, () => {
        this.#lastShownAt = Math.max(this.#lastShownAt, this.#now());
        try {
          call();
        } catch {
          // A logger must never fail the task that uses it.
        }
      }),
    );
  }

  /** Shows what the dependents of a task that just finished were holding back, where nothing else holds them. */
  finished(slot: TaskSlot): void {
    for (const d of slot.dependents) this.#flushHeld(d);
  }

  /** Shows everything still held: the run is over, nothing is left to wait for. */
  flushAll(): void {
    for (const slot of this.#slots.values()) this.#show(takeHeld(slot));
  }

  #inOrder(slot: TaskSlot | undefined, output: () => void): void {
    if (slot && (slot.held.length > 0 || this.#waitsForReport(slot))) hold(slot, output);
    else output();
  }

  #show(held: readonly HeldOutput[]): void {
    for (const output of held) {
      if (typeof output === "function") output();
      else this.#deliver(output);
    }
  }

  #deliver(event: RunEvent): void {
    // Held output is shown late: its time is moved up to the last shown, so logs stay in time order.
    // The event is the run's own and not yet shown to anyone: moved in place rather than copied.
    if (event.at < this.#lastShownAt) event.at = this.#lastShownAt;
    else this.#lastShownAt = event.at;
    try {
      this.#logger.event(event);
    } catch {
      // Output must never break a run.
    }
  }

  /** Whether an upstream is still saving (it has not reported done) or holds output of its own. */
  #waitsForReport(slot: TaskSlot): boolean {
    for (const up of slot.upstream) if (up.phase === "saving" || up.held.length > 0) return true;
    return false;
  }

  #flushHeld(slot: TaskSlot): void {
    if (slot.held.length === 0 || this.#waitsForReport(slot)) return;
    this.#show(takeHeld(slot));
    for (const d of slot.dependents) this.#flushHeld(d);
  }
}

/** Holds output back; a slot holding nothing may share its empty list with others, so the first gets a list of its own. */
function hold(slot: TaskSlot, output: HeldOutput): void {
  if (slot.held.length === 0) slot.held = [output];
  else slot.held.push(output);
}

/** Takes what a slot holds, leaving it an empty list: not one that kept its room for every slot of the run. */
function takeHeld(slot: TaskSlot): HeldOutput[] {
  const held = slot.held;
  if (held.length > 0) slot.held = NOTHING_HELD;
  return held;
}

const NOTHING_HELD: HeldOutput[] = [];
