import type { RunEvent } from "@lp/core";
import { formatDuration } from "@lp/core/internal";
import stringWidth from "string-width";

// Made on first use: creating one costs milliseconds of ICU set-up that a piped run never needs.
let segmenter: Intl.Segmenter | undefined;

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * What the live progress line shows: tasks running (with how long each has run),
 * tasks finished out of all, and the run's elapsed time. Pure state; the console
 * draws it.
 */
export class ProgressState {
  #total = 0;
  #done = 0;
  #startedAt = 0;
  #frame = 0;
  readonly #running = new Map<string, number>();
  /** A running mapped task's branches: how many ran of how many must run. */
  readonly #branches = new Map<string, string>();

  /** Resets for a new run of `total` tasks, started at `now` (ms). */
  start(total: number, now: number): void {
    this.#total = total;
    this.#done = 0;
    this.#startedAt = now;
    this.#running.clear();
    this.#branches.clear();
  }

  /** Follows a run event; `now` is the time it was received (ms). */
  update(e: RunEvent, now: number): void {
    switch (e.type) {
      case "task:start":
        if (!this.#running.has(e.task)) this.#running.set(e.task, now);
        return;
      case "task:branch":
        this.#branches.set(e.task, `${e.branches.ran + e.branches.failed.length}/${e.branches.total - e.branches.cached} branches`);
        return;
      case "task:done":
      case "task:cached":
      case "task:fail":
      case "task:skip":
        this.#running.delete(e.task);
        this.#branches.delete(e.task);
        this.#done++;
        return;
      default:
        return;
    }
  }

  /**
   * The line at `now`, cut to `columns - 1` terminal columns so the terminal never wraps it
   * (a wrapped line could not be redrawn in place). Each call advances the spinner.
   * @example "⠋ 2/4 done · 0:03.20 · running: TaskTwo 0:01.20, Clean 0:00.10 (37/120 branches)"
   */
  render(now: number, columns: number): string {
    const frame = FRAMES[this.#frame++ % FRAMES.length]!;
    const running = [...this.#running].map(([task, since]) => {
      const branches = this.#branches.get(task);
      return `${task} ${formatDuration(now - since)}${branches ? ` (${branches})` : ""}`;
    });
    const tail = running.length > 0 ? ` · running: ${running.join(", ")}` : "";
    const line = `${frame} ${this.#done}/${this.#total} done · ${formatDuration(now - this.#startedAt)}${tail}`;
    const max = Math.max(columns - 1, 10);
    if (stringWidth(line) <= max) return line;
    // Cut by display width: a wide (CJK, emoji) name takes two columns.
    let out = "";
    for (const { segment } of (segmenter ??= new Intl.Segmenter()).segment(line)) {
      if (stringWidth(out + segment) > max - 1) break;
      out += segment;
    }
    return `${out}…`;
  }
}
