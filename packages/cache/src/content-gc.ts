import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { sha256Sri } from "./content.js";

const HEX = /^[0-9a-f]+$/;

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw error;
  }
}

/** Whether a body matches its digest; a gone body counts as matching (nothing to remove). Other read errors are thrown: a passing fault must not make a good body look damaged. */
async function verifies(file: string, digest: string): Promise<boolean> {
  try {
    return sha256Sri(await readFile(file)) === digest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}

/**
 * Removes every body in the content store that no entry refers to (`referenced`) and no
 * write of this store uses (`writing`), and every referenced body that fails its digest.
 * Call it only while no other store has the folder open (see `collectAlone`): then what the
 * journal refers to is the whole truth. Also removes what earlier versions of the store kept
 * beside the bodies (cacache's index and temporary folder).
 */
export async function collectContent(root: string, referenced: ReadonlySet<string>, writing: (digest: string) => boolean): Promise<void> {
  const base = join(root, "content-v2", "sha256");
  for (const a of await names(base)) {
    for (const b of await names(join(base, a))) {
      for (const rest of await names(join(base, a, b))) {
        const hex = a + b + rest;
        if (a.length !== 2 || b.length !== 2 || hex.length !== 64 || !HEX.test(hex)) continue;
        const digest = `sha256-${Buffer.from(hex, "hex").toString("base64")}`;
        if (writing(digest)) continue;
        const file = join(base, a, b, rest);
        if (!referenced.has(digest) || !(await verifies(file, digest))) await rm(file, { force: true });
      }
    }
  }
  await rm(join(root, "index-v5"), { recursive: true, force: true });
  await rm(join(root, "tmp"), { recursive: true, force: true });
}
