import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** This package's own source and build folders: frames there are never the user's call site. */
const ownDirs: readonly string[] = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return [join(dir, "src") + sep, join(dir, "dist") + sep];
})();

// Shared by every copy of @lp/core in the thread (a worker may load one before a
// TypeScript loader is registered and one after), so a folder skipped once is skipped by all.
const SKIP_KEY = Symbol.for("little-pipelines.call-site-skip-dirs");
const skipDirs: string[] = ((globalThis as { [SKIP_KEY]?: string[] })[SKIP_KEY] ??= []);
for (const dir of ownDirs) if (!skipDirs.includes(dir)) skipDirs.push(dir);

/**
 * Lets a package that wraps `Task` or `Pipeline` (as the umbrella does) have its own frames
 * skipped, so the call site found is still the user's module.
 */
export function skipCallSitesUnder(dir: string): void {
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  if (!skipDirs.includes(prefix)) skipDirs.push(prefix);
}

function toPath(file: string): string | undefined {
  if (file.startsWith("file://")) return fileURLToPath(file);
  return isAbsolute(file) ? file : undefined;
}

/**
 * A frame's file name → the user's file it is, or `null` for a library file or none. The
 * thousands of tasks a module defines share a handful of frames' files: each is converted and
 * checked once, not once per task. Forgotten when a folder is added to skip (by any copy of core).
 */
const userFiles = new Map<string, string | null>();
let userFilesFor = -1;

function userFileOf(raw: string): string | null {
  if (userFilesFor !== skipDirs.length) {
    userFiles.clear();
    userFilesFor = skipDirs.length;
  }
  let file = userFiles.get(raw);
  if (file === undefined) {
    const path = toPath(raw);
    file = path && !isLibraryFile(path) ? path : null;
    userFiles.set(raw, file);
  }
  return file;
}

/** Whether a file belongs to little-pipelines or an installed package, not to the user's project. */
export function isLibraryFile(file: string): boolean {
  return file.includes(`${sep}node_modules${sep}`) || skipDirs.some((d) => file.startsWith(d));
}

/** A function or class whose frame, and every frame above it, is left out of a captured stack. */
export type FrameAbove = ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown);

/**
 * The module that called into little-pipelines: the innermost stack frame outside this
 * package, wrappers registered with {@link skipCallSitesUnder} and `node_modules`. Only the
 * innermost frame counts, so the answer is the same whichever script imported that module,
 * whichever runner loaded it and from whichever folder. Uses V8's structured call sites,
 * far cheaper than formatting a stack string for every task. `undefined` in a REPL or
 * `eval`, where no file defined the caller. (A Task finds its own with {@link captureCaller}
 * and {@link definingFileOf}.)
 */
export function findDefiningFile(): string | undefined {
  // The caller is almost always within the first few frames. A deeper stack is captured only
  // when those are not the user's (a wrapper, a subclass in a library): the 12 frames under
  // this function, so that the defining file found stays what it has been.
  return userFrameWithin(4, findDefiningFile) ?? userFrameWithin(12, findDefiningFile);
}

/** Hands V8's structured frames back as they are, instead of formatting a stack string. */
const asFrames = (_error: Error, frames: NodeJS.CallSite[]) => frames;

/** One frame captured by {@link captureCaller}, not yet read. */
export interface CapturedCaller {
  stack?: unknown;
}

/**
 * The first half of {@link findDefiningFile}`(below)`, for a constructor: captures the frame
 * right below `below`. Capturing makes V8 decode every frame above that one (costly for
 * optimised frames, and more the bigger the function), so a constructor calls this first
 * thing, while its own frame is small, and this function does nothing else.
 */
export function captureCaller(below: FrameAbove): CapturedCaller {
  const limit = Error.stackTraceLimit;
  const holder: CapturedCaller = {};
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, below);
  Error.stackTraceLimit = limit;
  return holder;
}

/**
 * The second half: the user's file of the captured frame, else (a wrapper, a subclass in a
 * library) the deeper search over the same 12 frames as findDefiningFile's, which must be
 * called from the same constructor.
 */
export function definingFileOf(caller: CapturedCaller): string | undefined {
  const prepare = Error.prepareStackTrace;
  let frames: NodeJS.CallSite[] | undefined;
  try {
    // V8 builds the frames' objects only now, when the stack is read.
    Error.prepareStackTrace = asFrames;
    frames = caller.stack as NodeJS.CallSite[] | undefined;
  } finally {
    Error.prepareStackTrace = prepare;
  }
  const raw = frames?.[0]?.getFileName();
  return (raw && userFileOf(raw)) || userFrameWithin(12, definingFileOf);
}

function userFrameWithin(depth: number, below: FrameAbove): string | undefined {
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = depth;
    Error.prepareStackTrace = asFrames;
    Error.captureStackTrace(holder, below);
    for (const frame of (holder.stack as NodeJS.CallSite[] | undefined) ?? []) {
      const raw = frame.getFileName();
      const file = raw ? userFileOf(raw) : null;
      if (file) return file;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * The first frame of an error's stack in the user's own code (not Node's, not an installed
 * package's, not little-pipelines'), as printed: `at run (/src/pipeline.ts:12:9)`.
 */
export function firstUserFrame(error: unknown): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const file = toPath(match[1]!);
    if (file && !isLibraryFile(file)) return line.trim();
  }
  return undefined;
}
