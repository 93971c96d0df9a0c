import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** The environment variable that moves every pipeline's cache folder. */
export const HOME_ENV = "LP_HOME";

/** Folder names longer than this get a hash suffix, to stay within file-system limits. */
const MAX_FOLDER_NAME = 120;

// Characters that are safe and readable in a folder name on every common file system.
const SAFE = /[A-Za-z0-9 _\-.]/;

/**
 * The folder that holds every pipeline's cache: `$LP_HOME` when set, else
 * `~/.little_pipelines` (where the original library keeps it).
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[HOME_ENV];
  return fromEnv ? resolve(fromEnv) : join(homedir(), ".little_pipelines");
}

/**
 * The folder name for a pipeline: its name as is when that is safe, otherwise with the
 * unsafe characters percent-encoded (UTF-8 bytes). Slashes, `..`, a leading dot, control
 * characters and non-ASCII letters can therefore never escape the home folder or collide
 * with another pipeline's folder; names too long for a file system are shortened and get a
 * hash of the full name.
 *
 * @example folderName("../../etc") // "%2E.%2F..%2Fetc"
 */
export function folderName(pipeline: string): string {
  let out = "";
  for (const ch of pipeline) {
    if (SAFE.test(ch) && !(out === "" && ch === ".")) out += ch;
    else for (const byte of Buffer.from(ch, "utf8")) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  // Windows drops trailing dots and spaces; keep names distinct everywhere.
  out = out.replace(/[. ]$/, (c) => (c === "." ? "%2E" : "%20"));
  if (out.length > MAX_FOLDER_NAME) {
    const hash = createHash("sha256").update(pipeline).digest("hex").slice(0, 16);
    out = `${out.slice(0, MAX_FOLDER_NAME - 17)}~${hash}`;
  }
  return out;
}

/** The cache folder of a pipeline under `home` (default {@link defaultHome}). */
export function pipelineDir(pipeline: string, home: string = defaultHome()): string {
  return join(home, folderName(pipeline));
}
