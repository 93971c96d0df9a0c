import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FunctionInfo } from "./function-source.js";
import { hashText } from "./hash.js";
import type { ModuleInfo } from "./module-info.js";

/** Bumped whenever what is cached changes meaning. */
const FORMAT = `3/${process.versions.node.split(".")[0]}`;

interface CacheFile {
  format: string;
  modules: Record<string, ModuleInfo>;
  /**
   * Pairs, flattened: source text, then `<1 parsed | 0 not><digest> <free names, comma-separated>`.
   * A flat array of strings reads back far faster than an object per function.
   */
  functions: string[];
}

interface Loaded {
  modules: Record<string, ModuleInfo>;
  functions: Map<string, string>;
}

const packFunction = (f: FunctionInfo) => `${f.parsed ? 1 : 0}${f.hash} ${f.free.join(",")}`;

function unpackFunction(packed: string): FunctionInfo {
  const space = packed.indexOf(" ");
  const free = packed.slice(space + 1);
  return { parsed: packed[0] === "1", hash: packed.slice(1, space), free: free === "" ? [] : free.split(",") };
}

/**
 * What was learnt of a pipeline module's code, kept between processes so that a warm run does
 * not parse again: module analyses (valid while the file's bytes hash the same) and function
 * analyses (keyed by their exact source text). Kept in the project's
 * `node_modules/.cache/little-pipelines/` (the usual home of tool caches), else in the
 * system's temp folder. Only what a process used is written back, so it cannot grow without
 * bound; a damaged or missing file only costs the parse.
 */
export class CodeCache {
  readonly path: string;
  #stored: Loaded | undefined;
  readonly #usedModules: Record<string, ModuleInfo> = {};
  /** Function texts used by this process, with their packed analyses. */
  readonly #usedFunctions = new Map<string, string>();
  #dirty = false;

  constructor(projectRoot: string, entry: string) {
    // In the temp folder, a folder per user: another user's files must not be trusted.
    const base = existsSync(join(projectRoot, "node_modules"))
      ? join(projectRoot, "node_modules", ".cache", "little-pipelines")
      : join(tmpdir(), `little-pipelines-code-${process.getuid?.() ?? "user"}`);
    this.path = join(base, `${hashText(entry).slice(0, 24)}.json`);
  }

  #load(): Loaded {
    if (!this.#stored) {
      const loaded: Loaded = { modules: {}, functions: new Map() };
      try {
        const data = JSON.parse(readFileSync(this.path, "utf8")) as CacheFile;
        if (data.format === FORMAT && data.modules && Array.isArray(data.functions)) {
          loaded.modules = data.modules;
          const f = data.functions;
          for (let i = 0; i + 1 < f.length; i += 2) loaded.functions.set(f[i]!, f[i + 1]!);
        }
      } catch {
        // Missing or damaged: start empty.
      }
      this.#stored = loaded;
    }
    return this.#stored;
  }

  /** A module's analysis if the cached one is for these exact bytes (`source` digest). */
  module(file: string, source: string, analyse: () => ModuleInfo): ModuleInfo {
    const cached = this.#load().modules[file];
    const info = cached?.source === source ? cached : analyse();
    if (info !== cached) this.#dirty = true;
    this.#usedModules[file] = info;
    return info;
  }

  /** Records that this process used a module already analysed, so that it is written back; once per module. */
  useModule(file: string, info: ModuleInfo): void {
    if (this.#usedModules[file] !== info) this.module(file, info.source, () => info);
  }

  /** A function's analysis, by its exact source text. */
  function(text: string, analyse: () => FunctionInfo): FunctionInfo {
    const cached = this.#load().functions.get(text);
    if (cached !== undefined) {
      this.#usedFunctions.set(text, cached);
      return unpackFunction(cached);
    }
    const info = analyse();
    this.#dirty = true;
    this.#usedFunctions.set(text, packFunction(info));
    return info;
  }

  /**
   * Records that this process used a function already analysed (in memory, perhaps for
   * another module's cache), so that it is written back; once per function text.
   */
  use(text: string, info: FunctionInfo): void {
    if (this.#usedFunctions.has(text)) return;
    const cached = this.#load().functions.get(text);
    if (cached === undefined) this.#dirty = true;
    this.#usedFunctions.set(text, cached ?? packFunction(info));
  }

  /** Writes what this process used, when something was new. Never throws: it is only a cache. */
  save(): void {
    if (!this.#dirty) return;
    try {
      mkdirSync(join(this.path, ".."), { recursive: true, mode: 0o700 });
      const temp = `${this.path}.${process.pid}.tmp`;
      const functions: string[] = [];
      for (const [text, packed] of this.#usedFunctions) functions.push(text, packed);
      const data: CacheFile = { format: FORMAT, modules: this.#usedModules, functions };
      writeFileSync(temp, JSON.stringify(data));
      renameSync(temp, this.path);
      this.#dirty = false;
    } catch {
      // A read-only project or a full disk: the next process parses again.
    }
  }
}

const caches = new Map<string, CodeCache>();

/** The cache of the pipeline module `entry`; saved when the process exits. */
export function codeCacheFor(projectRoot: string, entry: string): CodeCache {
  let cache = caches.get(entry);
  if (!cache) {
    if (caches.size === 0) process.once("exit", saveCodeCaches);
    cache = new CodeCache(projectRoot, entry);
    caches.set(entry, cache);
  }
  return cache;
}

/** Writes every cache with something new. */
export function saveCodeCaches(): void {
  for (const cache of caches.values()) cache.save();
}
