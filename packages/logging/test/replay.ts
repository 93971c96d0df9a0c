import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { LoggerProvider, RunEvent } from "@lp/core";
import type { LoggerOptions } from "../src/index.js";

/**
 * Recorded run events and task-logger calls of real runs (a chain cold and warm, and three
 * runs of a pipeline with task loggers at every level, failures, retries, mapped tasks with
 * failed branches, skipped tasks and wide, long and reserved-character names), with times,
 * durations and stacks made fixed so that what a logger writes for them is always the same.
 */
export type Step =
  | { op: "event"; e: RunEvent }
  | { op: "log"; task: string; pipeline: string; method: string; args: unknown[] }
  | { op: "forTask"; task: string; pipeline: string }
  | { op: "flush" };

/** The clock while streams are replayed: lines written at "now" (a task's own) get this time. */
export const REPLAY_NOW = Date.UTC(2025, 0, 31, 12, 0, 5, 250);

/** An error as the fixture keeps it, made into an Error again. */
function revive(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if ("$thrown" in value) return (value as { $thrown: unknown }).$thrown;
  if (!("$error" in value)) return value;
  const { name, message, code, stack } = (value as { $error: { name: string; message: string; code?: string; stack?: string } }).$error;
  const error = new Error(message);
  Object.defineProperty(error, "name", { value: name, writable: true, configurable: true });
  Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true });
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

/** The recorded streams, by name, their errors made Errors again. */
export function recordedStreams(): Record<string, Step[]> {
  const streams = JSON.parse(readFileSync(new URL("./fixtures/event-streams.json", import.meta.url), "utf8")) as Record<string, Step[]>;
  for (const steps of Object.values(streams)) {
    for (const step of steps) if (step.op === "event" && "error" in step.e) (step.e as { error: unknown }).error = revive(step.e.error);
  }
  return streams;
}

/** Option setups the streams are replayed in: every way the logger can render or route a line. */
export const SETUPS: Record<string, LoggerOptions & { tty?: boolean; switchAt?: number; switchTo?: string }> = {
  plain: { color: false },
  color: { color: true },
  json: { format: "json" },
  debug: { level: "debug" },
  perf: { level: "perf", processTimings: true, timings: true },
  perfTable: { level: "perf", timings: true },
  fileAbove: { level: "debug", fileLevel: "info" },
  fileWarn: { fileLevel: "warn" },
  fileSilent: { fileLevel: "silent" },
  error: { level: "error" },
  silent: { level: "silent" },
  tty: { tty: true, progress: true, progressIntervalMs: 0, color: true },
  ttyPlain: { tty: true, progressIntervalMs: 0, color: false },
  rotate: { rotateBytes: 3000 },
  retain: { retainDays: 1 },
  noFiles: { logDir: false },
  jsonRotate: { format: "json", rotateBytes: 3000 },
  jsonDebug: { format: "json", level: "debug", timings: true },
  colorDebug: { color: true, level: "debug", processTimings: true },
  switchToDebug: { fileLevel: "info", switchAt: 150, switchTo: "debug" },
  switchToQuiet: { level: "debug", fileLevel: "perf", switchAt: 100, switchTo: "quiet" },
  noFilesDebugLater: { logDir: false, switchAt: 200, switchTo: "debug" },
};

/** Local log timestamps as the epoch ms they stand for, and the log folder as `<dir>`: the same text in any time zone and folder. */
function normalized(text: string, dir: string): string {
  return text
    .replace(/(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/g, (_, y, mo, d, h, mi, s, ms) => `@${new Date(+y, +mo - 1, +d, +h, +mi, +s, +ms).getTime()}`)
    .replaceAll(dir, "<dir>");
}

/**
 * Replays every stream through one logger made with a setup's options, console to memory
 * and file logs to `dir` (emptied first), at a fixed clock.
 * @returns the console output, then each log file under its name, normalized
 */
export async function replay(
  createLogger: (options: LoggerOptions) => LoggerProvider & { setLevel(level: string): void; quiet(): void },
  setup: string,
  dir: string,
): Promise<string> {
  const { tty, switchAt, switchTo, ...options } = SETUPS[setup]!;
  const chunks: string[] = [];
  const stream = { isTTY: !!tty, columns: 100, write: (chunk: string) => chunks.push(String(chunk)) > 0 };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const RealDate = globalThis.Date;
  // Lines a task logs, the progress line and rotated names read the clock: fixed while replaying.
  globalThis.Date = class extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(REPLAY_NOW);
      else super(...(args as [number]));
    }
    static override now() {
      return REPLAY_NOW;
    }
  } as DateConstructor;
  try {
    const logger = createLogger({ logDir: dir, ...options, stream, env: {}, now: () => REPLAY_NOW });
    let count = 0;
    for (const steps of Object.values(recordedStreams())) {
      for (const step of steps) {
        if (++count === switchAt) switchTo === "quiet" ? logger.quiet() : logger.setLevel(switchTo as string);
        if (step.op === "event") logger.event(step.e);
        else if (step.op === "forTask") logger.forTask(step.task, step.pipeline);
        else if (step.op === "log") (logger.forTask(step.task, step.pipeline) as unknown as Record<string, (...args: unknown[]) => void>)[step.method]!(...step.args);
        else await logger.flush?.();
      }
    }
    await logger.flush?.();
  } finally {
    globalThis.Date = RealDate;
  }
  const parts = [`== console\n${chunks.join("")}`];
  for (const name of readdirSync(dir).sort()) parts.push(`== ${name}\n${readFileSync(join(dir, name), "utf8")}`);
  return normalized(parts.join("\n"), dir);
}

/** A digest of a replay's output, as the fixture keeps it. */
export function digestOf(output: string): string {
  return createHash("sha256").update(output).digest("hex");
}
