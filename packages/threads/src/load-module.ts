import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import type { TaskRegistry } from "./task-registry.js";

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);
let typescript: Promise<void> | undefined;

/**
 * Registers tsx in this worker, once. On Node 20 the main thread's `--import tsx` (or the
 * hooks `lp` registers in code) do not reach worker threads, and an import that failed
 * for want of them stays failed, so this runs before the first TypeScript import.
 */
function enableTypeScript(): Promise<void> {
  typescript ??= (async () => {
    let apis: [typeof import("tsx/esm/api"), typeof import("tsx/cjs/api")];
    try {
      apis = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
    } catch (error) {
      // A Node.js that strips types itself (22.18+) needs no loader.
      if ((process.features as { typescript?: unknown }).typescript) return;
      throw new Error(`a TypeScript module needs tsx in a worker thread: install it (npm install --save-dev tsx) (${(error as Error)?.message ?? error})`);
    }
    apis[0].register();
    apis[1].register();
  })();
  typescript.catch(() => {
    typescript = undefined;
  });
  return typescript;
}

async function importFile(path: string): Promise<void> {
  if (TYPESCRIPT.has(extname(path).toLowerCase())) await enableTypeScript();
  await import(pathToFileURL(path).href);
}

const loads = new Map<string, Promise<void>>();

/**
 * Imports a module for the tasks it defines. Resolves once the module has finished
 * loading, or once it calls `pipeline.execute()` at top level: by then its tasks exist,
 * and that call never settles in a worker, so the rest of the module never runs here.
 * Each module is loaded once per worker.
 */
export function loadModule(path: string, registry: TaskRegistry): Promise<void> {
  let load = loads.get(path);
  if (!load) {
    load = Promise.race([importFile(path), registry.nextExecute()]);
    loads.set(path, load);
    // A failed import may succeed on a later attempt (a file being written, say).
    load.catch(() => loads.delete(path));
  }
  return load;
}
