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
 * Lets a package that wraps `Task` or `Pipeline` (as the umbrella does) have its own frames
 * skipped, so the call site found is still the user's module.
 */
export function skipCallSitesUnder(dir: string): void {
  skipDirs.push(dir.endsWith(sep) ? dir : dir + sep);
}

function toPath(file: string): string | undefined {
  if (file.startsWith("file://")) return fileURLToPath(file);
  return isAbsolute(file) ? file : undefined;
}

/**
 * The module that called into little-pipelines: the innermost stack frame outside this
 * package, wrappers registered with {@link skipCallSitesUnder} and `node_modules`. Only the
 * innermost frame counts, so the answer is the same whichever script imported that module,
 * whichever runner loaded it and from whichever folder. Uses V8's structured call sites,
 * far cheaper than formatting a stack string for every task. `undefined` in a REPL or
 * `eval`, where no file defined the caller.
 */
export function findDefiningFile(): string | undefined {
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = 12;
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.captureStackTrace(holder, findDefiningFile);
    for (const frame of (holder.stack as NodeJS.CallSite[] | undefined) ?? []) {
      const raw = frame.getFileName();
      const file = raw && toPath(raw);
      if (!file || file.includes(`${sep}node_modules${sep}`)) continue;
      if (skipDirs.some((d) => file.startsWith(d))) continue;
      return file;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
