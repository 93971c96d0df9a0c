import { lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CacheNameClashError, CacheSymlinkError } from "./errors.js";

const marker = (dir: string) => join(dir, "pipeline.json");

// These run once as a store opens, before any task starts: a synchronous call costs a few
// microseconds where a trip through the thread pool costs ~0.1-0.3 ms, and there are several.

/** @throws CacheSymlinkError for the first of `paths` that is a symbolic link (missing ones are fine) */
export function refuseLinks(paths: readonly string[]): void {
  for (const path of paths) {
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw new CacheSymlinkError(path);
  }
}

/** Records which pipeline owns a cache folder, so that two names mapping to one folder are caught. */
export function claimFolder(dir: string, pipeline: string): void {
  try {
    writeFileSync(marker(dir), `${JSON.stringify({ pipeline, format: 1 })}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    checkOwner(dir, pipeline);
  }
}

/**
 * @throws CacheNameClashError when the folder belongs to another pipeline (possible only on
 * a case-insensitive file system); a folder without an owner is claimed
 */
export function checkOwner(dir: string, pipeline: string): void {
  let owner: unknown;
  try {
    owner = (JSON.parse(readFileSync(marker(dir), "utf8")) as { pipeline?: unknown }).pipeline;
  } catch (error) {
    // No marker (a folder made with `dir`): claim it. A damaged one says nothing either way.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return claimFolder(dir, pipeline);
    return;
  }
  if (typeof owner === "string" && owner !== pipeline) throw new CacheNameClashError(pipeline, dir, owner);
}
