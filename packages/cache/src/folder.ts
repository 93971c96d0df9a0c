import { lstat, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CacheNameClashError, CacheSymlinkError } from "./errors.js";

const marker = (dir: string) => join(dir, "pipeline.json");

/** @throws CacheSymlinkError for the first of `paths` that is a symbolic link (missing ones are fine) */
export async function refuseLinks(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    let link: boolean;
    try {
      link = (await lstat(path)).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    if (link) throw new CacheSymlinkError(path);
  }
}

/** Records which pipeline owns a cache folder, so that two names mapping to one folder are caught. */
export async function claimFolder(dir: string, pipeline: string): Promise<void> {
  try {
    await writeFile(marker(dir), `${JSON.stringify({ pipeline, format: 1 })}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    await checkOwner(dir, pipeline);
  }
}

/**
 * @throws CacheNameClashError when the folder belongs to another pipeline (possible only on
 * a case-insensitive file system); a folder without an owner is claimed
 */
export async function checkOwner(dir: string, pipeline: string): Promise<void> {
  let owner: unknown;
  try {
    owner = (JSON.parse(await readFile(marker(dir), "utf8")) as { pipeline?: unknown }).pipeline;
  } catch (error) {
    // No marker (a folder made with `dir`): claim it. A damaged one says nothing either way.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return claimFolder(dir, pipeline);
    return;
  }
  if (typeof owner === "string" && owner !== pipeline) throw new CacheNameClashError(pipeline, dir, owner);
}
