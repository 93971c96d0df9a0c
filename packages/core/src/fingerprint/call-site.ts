import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** This package's own source and build folders: frames there are never the user's call site. */
const ownDirs: readonly string[] = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return [join(dir, "src") + sep, join(dir, "dist") + sep];
})();

const skipDirs: string[] = [...ownDirs];

/**
 * Lets a package that wraps `Task` (as the umbrella may) have its own frames skipped, so
 * the call site found is still the user's module.
 */
export function skipCallSitesUnder(dir: string): void {
  skipDirs.push(dir.endsWith(sep) ? dir : dir + sep);
}

function toPath(file: string): string | undefined {
  if (file.startsWith("file://")) return fileURLToPath(file);
  return isAbsolute(file) ? file : undefined;
}

/**
 * The files of the stack frames outside little-pipelines, innermost first: the module
 * that defined the task, then the modules that called it (a task built by a factory in
 * one file and configured from another depends on both). Uses V8's structured call
 * sites, which is far cheaper than formatting a stack string for every task.
 */
export function findCallerFiles(): string[] {
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = 10;
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.captureStackTrace(holder, findCallerFiles);
    const frames = holder.stack as NodeJS.CallSite[] | undefined;
    const files: string[] = [];
    for (const frame of frames ?? []) {
      const raw = frame.getFileName();
      const file = raw && toPath(raw);
      if (!file || file.includes(`${sep}node_modules${sep}`)) continue;
      if (skipDirs.some((d) => file.startsWith(d))) continue;
      if (!files.includes(file)) files.push(file);
    }
    return files;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
