import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ResultMeta, ResultStore } from "@lp/core";
import { sha256Sri } from "./content.js";
import { defaultHome } from "./paths.js";
import type { CacheEntry, CacheEntryDetails } from "./entry.js";
import { CacacheStore } from "./store.js";

/**
 * Every stored result with its task, size, creation and expiry times, fingerprint and
 * digest, sorted by task. Works on any store; a {@link CacacheStore} also says where each
 * body is kept.
 */
export async function listEntries(store: ResultStore): Promise<CacheEntry[]> {
  if (store instanceof CacacheStore) return store.entries();
  const metas = await store.list();
  return metas.map(entryOf).sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
}

/** What the tools show of any store's metadata (a store without use times: created counts as used). */
function entryOf(m: ResultMeta): CacheEntry {
  return {
    task: m.key,
    size: m.size,
    createdAt: m.createdAt,
    expiresAt: m.expiresAt,
    expiry: m.expiry,
    fingerprint: m.fingerprint,
    digest: m.digest,
    usedAt: m.createdAt,
  };
}

/**
 * One stored result in full, with whether its body verifies against its digest; undefined
 * when nothing is stored for `task`. Works on any store.
 */
export async function inspectEntry(store: ResultStore, task: string): Promise<CacheEntryDetails | undefined> {
  if (store instanceof CacacheStore) return store.inspect(task);
  const stored = await store.get(task);
  if (!stored) return undefined;
  const m = stored.meta;
  return { ...entryOf(m), task, meta: m, body: sha256Sri(stored.body) === m.digest ? "ok" : "corrupt" };
}

/** A pipeline that has a cache folder under a home folder. */
export interface CachedPipeline {
  pipeline: string;
  dir: string;
}

/** The pipelines that have a cache folder under `home` (default: `$LP_HOME`, else the working directory project's `.little_pipelines/`). */
export async function listCachedPipelines(home: string = defaultHome()): Promise<CachedPipeline[]> {
  let names: string[];
  try {
    names = await readdir(home);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const out: CachedPipeline[] = [];
  for (const name of names.sort()) {
    const dir = join(home, name);
    try {
      const { pipeline } = JSON.parse(await readFile(join(dir, "pipeline.json"), "utf8")) as { pipeline?: unknown };
      if (typeof pipeline === "string") out.push({ pipeline, dir });
    } catch {
      // Not a pipeline's cache folder.
    }
  }
  return out;
}
