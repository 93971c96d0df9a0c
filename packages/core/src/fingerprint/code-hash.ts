import { readFileSync, statSync } from "node:fs";
import { dirname, extname, relative, resolve, sep } from "node:path";
import { hashText } from "./hash.js";

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'`]([^"'`\n]+)["'`]/g;
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const JS_TO_TS: Record<string, string[]> = { ".js": [".ts", ".tsx"], ".mjs": [".mts"], ".cjs": [".cts"], ".jsx": [".tsx"] };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Resolves a relative import the way TypeScript-aware loaders do (`./a.js` may be `./a.ts`). */
function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const ext = extname(base);
  const candidates = [base];
  for (const alt of JS_TO_TS[ext] ?? []) candidates.push(base.slice(0, -ext.length) + alt);
  for (const e of EXTENSIONS) candidates.push(base + e);
  for (const e of EXTENSIONS) candidates.push(`${base}${sep}index${e}`);
  return candidates.find(isFile);
}

/** Project-local imports of a module: relative specifiers, never packages. */
export function localImports(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const spec = match[1]!;
    if (!spec.startsWith("./") && !spec.startsWith("../") && spec !== "." && spec !== "..") continue;
    const target = resolveLocal(file, spec);
    if (target && !target.includes(`${sep}node_modules${sep}`)) found.push(target);
  }
  return found;
}

const moduleHashes = new Map<string, string | undefined>();

/**
 * Digest of a module and every project-local module it imports, transitively, so that an
 * edit to a helper in another file changes the tasks that use it. Cached for the process:
 * the code that runs is the code that was loaded. `undefined` when the file is unreadable.
 */
export function hashModuleGraph(entry: string): string | undefined {
  if (moduleHashes.has(entry)) return moduleHashes.get(entry);
  const parts: string[] = [];
  const seen = new Set<string>();
  const queue = [entry];
  let ok = true;
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let source: string;
    try {
      source = readFileSync(file, "utf8");
    } catch {
      if (file === entry) ok = false;
      continue;
    }
    parts.push(`${relative(dirname(entry), file)}\0${hashText(source)}`);
    queue.push(...localImports(file, source));
  }
  const digest = ok ? hashText(parts.sort().join("\n")) : undefined;
  moduleHashes.set(entry, digest);
  return digest;
}

/** Digest of process functions' source: the fallback when the defining module is unknown. */
export function hashFunctions(fns: ReadonlyMap<string, (...args: never[]) => unknown>): string {
  const parts = [...fns.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, fn]) => `${name}\0${fn.toString()}`);
  return hashText(parts.join("\n"));
}
