import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { ResultMeta } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import type { CacacheStore, CacheIntegrityWarning } from "../src/index.js";

const made: string[] = [];

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = "lp-cache-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Collects warnings instead of printing them. */
export function warnings(): { list: CacheIntegrityWarning[]; onWarning: (w: CacheIntegrityWarning) => void } {
  const list: CacheIntegrityWarning[] = [];
  return { list, onWarning: (w) => list.push(w) };
}

/** A logger that records what happened to each task, for assertions. */
export function recordingLogger() {
  const executed: string[] = [];
  const cached: string[] = [];
  const failed: { task: string; message: string }[] = [];
  const warned: string[] = [];
  const noop = () => {};
  const logger = { debug: noop, info: noop, warn: noop, error: noop, perf: noop };
  return {
    executed,
    cached,
    failed,
    warned,
    provider: {
      forTask: () => logger,
      event(e: import("@lp/core").RunEvent) {
        if (e.type === "task:done") executed.push(e.task);
        else if (e.type === "task:cached") cached.push(e.task);
        else if (e.type === "task:fail") failed.push({ task: e.task, message: e.record.error?.message ?? "" });
        else if (e.type === "warn") warned.push(`${e.task ?? ""}: ${e.message}`);
      },
    },
  };
}

/** Output of a child process run by {@link runChild}. */
export interface ChildRun {
  lines: string[];
  killed: boolean;
  code: number | null;
  stderr: string;
}

/**
 * Runs a fixture script in a real node process. When `killWhen` returns true for the
 * lines read so far, the process is killed with SIGKILL on the spot; reading goes on
 * until its output closes.
 */
export function runChild(script: string, args: readonly string[], killWhen?: (lines: readonly string[]) => boolean): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url)), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    let partial = "";
    let stderr = "";
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop()!;
      lines.push(...parts);
      if (!killed && killWhen?.(lines)) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ lines: partial ? [...lines, partial] : lines, killed, code, stderr }));
  });
}

/** Task names from lines such as `done T3`. */
export const tasksSaid = (lines: readonly string[], word: string): string[] =>
  lines.filter((l) => l.startsWith(`${word} `)).map((l) => l.split(" ")[1]!);

/** A fixture script running in a real node process, watched line by line. */
export interface StartedChild {
  /** Resolves once a line satisfies `test` (rejects if the process ends first). */
  until(test: (line: string) => boolean): Promise<void>;
  /** Resolves when the process has ended. */
  finished: Promise<ChildRun>;
}

/** Starts a fixture script without waiting for it, so a test can act while it runs. */
export function startChild(script: string, args: readonly string[]): StartedChild {
  const watchers: { test: (line: string) => boolean; resolve: () => void }[] = [];
  const seen: string[] = [];
  const finished = runChild(script, args, (lines) => {
    for (const line of lines.slice(seen.length)) {
      seen.push(line);
      for (const w of watchers.splice(0)) {
        if (w.test(line)) w.resolve();
        else watchers.push(w);
      }
    }
    return false;
  });
  return {
    finished,
    until(test) {
      if (seen.some(test)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        watchers.push({ test, resolve });
        finished.then((run) => reject(new Error(`${script} ended before the awaited line: ${run.lines.join(" | ")} ${run.stderr}`)));
      });
    },
  };
}

/** Puts a small body under `key` with metadata that matches it. */
export function putSmall(store: CacacheStore, key: string): Promise<void> {
  const body = Buffer.from(`body of ${key}`);
  const meta: ResultMeta = { key, fingerprint: "f", components: { code: "c", inputs: {}, upstream: {} }, digest: digestBytes(body), size: body.byteLength, serializer: "bytes", createdAt: 1, expiresAt: null, expiry: "never" };
  return store.put(key, body, meta);
}
