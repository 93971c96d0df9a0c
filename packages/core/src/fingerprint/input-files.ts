import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { InputFileError } from "../errors.js";

interface CachedHash {
  size: number;
  mtimeMs: number;
  ino: number;
  digest: string;
}

// Loaded on first use: most pipelines declare no input files, and start-up should not pay for it.
let tinyglobby: Promise<typeof import("tinyglobby")> | undefined;
const loadGlob = () => (tinyglobby ??= import("tinyglobby"));

// A file whose size, mtime and inode are unchanged is not read again in this process.
const hashCache = new Map<string, CachedHash>();

async function hashFile(path: string): Promise<string> {
  const info = await stat(path);
  const cached = hashCache.get(path);
  if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs && cached.ino === info.ino) return cached.digest;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const digest = hash.digest("hex");
  hashCache.set(path, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, digest });
  return digest;
}

/** Expands a task's input paths and globs against `cwd`; literal paths must exist. */
export async function expandInputFiles(task: string, patterns: readonly string[], cwd: string): Promise<string[]> {
  const { glob, isDynamicPattern } = await loadGlob();
  const files = new Set<string>();
  const globs: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      globs.push(isAbsolute(pattern) ? relative(cwd, pattern) : pattern);
      continue;
    }
    const abs = resolve(cwd, pattern);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new InputFileError(task, pattern, `does not exist (looked in ${abs}); fix the path in inputFiles or create the file`);
    if (!info.isFile()) throw new InputFileError(task, pattern, "is not a file; use a glob such as \"dir/**/*\" for a folder");
    files.add(abs);
  }
  if (globs.length > 0) {
    for (const match of await glob(globs, { cwd, absolute: true, onlyFiles: true, dot: false })) files.add(resolve(match));
  }
  return [...files].sort();
}

/**
 * Digest of each input file's contents, keyed by its path relative to `cwd`. With
 * `hashContents` false (API or database inputs) the files are not read: an empty map.
 */
export async function hashInputFiles(
  task: string,
  patterns: readonly string[],
  cwd: string,
  hashContents: boolean,
): Promise<Record<string, string>> {
  if (!hashContents || patterns.length === 0) return {};
  const files = await expandInputFiles(task, patterns, cwd);
  const out: Record<string, string> = {};
  await Promise.all(
    files.map(async (file) => {
      try {
        out[relative(cwd, file)] = await hashFile(file);
      } catch (error) {
        throw new InputFileError(task, relative(cwd, file), "cannot be read", error);
      }
    }),
  );
  return out;
}
