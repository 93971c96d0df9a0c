import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Total size of the files under `dir` (0 when it does not exist), leaving out the folder
 * `skip`. Files vanishing meanwhile are skipped.
 */
export async function diskUsageOf(dir: string, skip?: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return 0;
    throw error;
  }
  let total = 0;
  for (const name of names) {
    const path = join(dir, name);
    if (path === skip) continue;
    const s = await lstat(path).catch(() => undefined);
    if (!s) continue;
    total += s.isDirectory() ? await diskUsageOf(path, skip) : s.size;
  }
  return total;
}
