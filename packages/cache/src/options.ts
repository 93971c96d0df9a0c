import { InvalidOptionError } from "@lp/core";
import type { CacheIntegrityWarning } from "./errors.js";

/** Options of {@link cacacheStore} and {@link CacacheStore}. */
export interface CacacheStoreOptions {
  /**
   * Folder that holds one cache folder per pipeline. Set it (or `LP_HOME`) to
   * `~/.little_pipelines` for the seed's layout shared by every project.
   * @default the `LP_HOME` environment variable, else `.little_pipelines/` at the root of the
   * pipeline's project (the nearest folder with a package.json above the module that defines it)
   */
  home?: string;
  /**
   * The exact folder to keep results in, instead of `<home>/<pipeline name>`. Give each
   * pipeline its own: results are keyed by task name only.
   */
  dir?: string;
  /**
   * Upper bound, in bytes, on the results kept (the sum of their serialized sizes). When a
   * put goes over it, the least recently used results are evicted first; the result just
   * stored is always kept, even when it alone is larger.
   * @default no limit
   */
  maxSize?: number;
  /**
   * Receives a warning whenever stored data fails verification (a corrupted or missing
   * body, a damaged journal record). The data is treated as missing either way.
   * @default writes the warning to stderr with `process.emitWarning`
   */
  onWarning?: (warning: CacheIntegrityWarning) => void;
  /**
   * Bodies up to this many bytes are kept in the journal with their metadata, which is
   * much faster for the small results most tasks produce; bigger ones go to cacache's
   * content store, one file each.
   * @default 65536
   */
  inlineMaxBytes?: number;
  /**
   * Sync every put to disk before it resolves. With `false`, a put is safe from a crash of
   * the process (SIGKILL included) as soon as it resolves, but the last moments of writes may
   * be lost if the whole machine stops (power loss, kernel panic); each put is then much
   * cheaper, which matters most for long chains of small tasks.
   * @default true
   */
  fsync?: boolean;
}

/** Options of `new CacacheStore()`: the pipeline's name, or an explicit `dir`. */
export interface CacacheStoreInit extends CacacheStoreOptions {
  /** The pipeline whose results the store keeps; names the folder under `home`. */
  pipeline?: string;
}

/** Largest `inlineMaxBytes`: records stay small enough to write in one go. */
export const MAX_INLINE = 16 * 1024 * 1024;

const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/**
 * Rejects bad options at once, naming the option, what it takes and what it got.
 * @throws InvalidOptionError
 */
export function checkOptions(where: string, options: CacacheStoreInit): void {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(where, "options", "an object", options);
  const { home, dir, maxSize, onWarning, inlineMaxBytes, pipeline, fsync } = options;
  if (home !== undefined && !nonEmpty(home)) throw new InvalidOptionError(where, "home", "a folder path", home);
  if (dir !== undefined && !nonEmpty(dir)) throw new InvalidOptionError(where, "dir", "a folder path", dir);
  if (pipeline !== undefined && !nonEmpty(pipeline)) throw new InvalidOptionError(where, "pipeline", "a non-empty pipeline name", pipeline);
  if (maxSize !== undefined && !(typeof maxSize === "number" && maxSize > 0 && Number.isFinite(maxSize))) {
    throw new InvalidOptionError(where, "maxSize", "a number of bytes above 0", maxSize);
  }
  if (onWarning !== undefined && typeof onWarning !== "function") throw new InvalidOptionError(where, "onWarning", "a function", onWarning);
  if (fsync !== undefined && typeof fsync !== "boolean") throw new InvalidOptionError(where, "fsync", "true or false", fsync);
  if (inlineMaxBytes !== undefined && !(Number.isInteger(inlineMaxBytes) && inlineMaxBytes >= 0 && inlineMaxBytes <= MAX_INLINE)) {
    throw new InvalidOptionError(where, "inlineMaxBytes", `a whole number of bytes from 0 to ${MAX_INLINE}`, inlineMaxBytes);
  }
}
