import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Shared through `globalThis`, so that a pipeline file's own copy of the library sees it too. */
const KEY = Symbol.for("little-pipelines.load-only");

interface LoadOnly {
  /** Names of the pipelines whose `execute()` was called (and not run) while loading. */
  calls: string[];
}

type Holder = { [KEY]?: LoadOnly | undefined };

/**
 * Runs `load` (an import of a pipeline file) with `execute()` turned off: a file that runs
 * its pipeline at top level is loaded without running it, so that `lp status` or `lp graph`
 * never run anything. Resolves with what `load` gave and the pipelines whose `execute()`
 * the file called.
 */
export async function loadWithoutRunning<T>(load: () => Promise<T>): Promise<{ value: T; executeCalls: string[] }> {
  const holder = globalThis as Holder;
  const previous = holder[KEY];
  const state: LoadOnly = { calls: [] };
  holder[KEY] = state;
  try {
    return { value: await load(), executeCalls: state.calls };
  } finally {
    holder[KEY] = previous;
  }
}

/** Called by `execute()`: true (and the call noted) while a file is loaded without running. */
export function executeIsOff(pipeline: string): boolean {
  const state = (globalThis as Holder)[KEY];
  if (!state) return false;
  state.calls.push(pipeline);
  return true;
}

/**
 * Whether the module whose `import.meta.url` is given is the script Node was started with
 * (`node pipeline.js`, `npx tsx pipeline.ts`), not a module imported by another — by `lp`,
 * for example. Guard a top-level run with it so the same file works as a script and for `lp`.
 * @example
 * export default pipeline;
 * if (isMainModule(import.meta.url)) await pipeline.execute();
 */
export function isMainModule(importMetaUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const self = importMetaUrl.startsWith("file:") ? fileURLToPath(importMetaUrl) : importMetaUrl;
  const bare = (p: string) => p.replace(/\.[cm]?[jt]s$/, "");
  return resolve(script) === self || bare(resolve(script)) === bare(self);
}
