import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pipeline, Task } from "@lp/core";
import { afterEach } from "vitest";
import type { OutputStream } from "../src/index.js";

/** A stream that keeps everything written to it. */
export interface Capture extends OutputStream {
  chunks: string[];
  /** Everything written, as one string. */
  readonly text: string;
  /** Complete lines written so far. */
  readonly lines: string[];
}

export function capture(tty = false, columns = 80): Capture {
  const chunks: string[] = [];
  return {
    chunks,
    isTTY: tty,
    columns,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    get text() {
      return chunks.join("");
    },
    get lines() {
      const parts = chunks.join("").split("\n");
      parts.pop();
      return parts;
    },
  };
}

/** Durations vary from run to run; lines are compared with them replaced by `<t>`. */
export function masked(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/\d+:\d{2}\.\d{2}/g, "<t>"));
}

const dirs: string[] = [];

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lp-logging-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * The seed's Example1: three numbers and their sum. `failSum` makes Sum throw;
 * TaskOne logs a line through its own logger.
 */
export function example1(logger: Pipeline["logger"], options: { failSum?: boolean } = {}): Pipeline {
  const one = new Task("TaskOne", {
    codeHash: false,
    run() {
      this.logger.info("loaded one");
      return 1;
    },
  });
  const two = new Task("TaskTwo", {
    codeHash: false,
    processes: {
      extract() {
        return 2;
      },
      run() {
        return this.extract();
      },
    },
  });
  const three = new Task("TaskThree", { codeHash: false, run: () => 3 });
  const sum = new Task("Sum", {
    codeHash: false,
    dependencies: ["TaskOne", "TaskTwo", "TaskThree"],
    async run() {
      if (options.failSum) throw new Error("cannot add these numbers");
      const values = await Promise.all(["TaskOne", "TaskTwo", "TaskThree"].map((t) => this.result<number>(t)));
      return values.reduce((a, b) => a + b, 0);
    },
  });
  return new Pipeline("Example1", { logger, concurrency: 1 }).add(one, two, three, sum);
}
