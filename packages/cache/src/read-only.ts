import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { dirname } from "node:path";

const MAYBE_READ_ONLY = new Set(["EROFS", "EACCES", "EPERM", "ENOENT"]);

/**
 * The folder to blame when a write under `dir` failed with `error`: `dir`, or the nearest
 * folder above it that exists, when that one cannot be written; undefined otherwise. A
 * recursive mkdir under a read-only folder reports ENOENT, which would send a user
 * looking for a missing folder instead of a read-only one.
 */
export async function readOnlyFolder(dir: string, error: unknown): Promise<{ folder: string; cause: unknown } | undefined> {
  if (!MAYBE_READ_ONLY.has((error as NodeJS.ErrnoException | null)?.code ?? "")) return undefined;
  for (let folder = dir; ; folder = dirname(folder)) {
    try {
      await access(folder, constants.W_OK);
      return undefined;
    } catch (denied) {
      const code = (denied as NodeJS.ErrnoException).code;
      if (code === "EROFS" || code === "EACCES" || code === "EPERM") return { folder, cause: denied };
      if (code !== "ENOENT" || dirname(folder) === folder) return undefined;
    }
  }
}
