import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import type { CodeCache } from "./code-cache.js";
import { hashText } from "./hash.js";
import { type ModuleInfo, moduleInfo } from "./module-info.js";
import { resolveImport } from "./resolve.js";

/** The code a task runs, part by part, as `label → digest`, plus notes on what could not be followed. */
export interface CodeParts {
  parts: Record<string, string>;
  notes: string[];
}

/** How files are named in labels: relative to the project, with `/`. */
export type Label = (file: string) => string;

export function labeller(projectRoot: string): Label {
  return (file) => relative(projectRoot, file).split(sep).join("/");
}

/** One walk over a closure: where results go, what was visited, how files are named. */
interface Walk {
  label: Label;
  out: CodeParts;
  seen: Set<string>;
  cache: CodeCache | undefined;
}

/**
 * The closure of top-level bindings `names` in `file`: each binding's digest, then what it
 * mentions, in the same module and through imports. Project-local imports are followed
 * (re-exports and `export *` included); packages count by name and version; a module that
 * cannot be parsed counts by its whole text. Returns the closure and the names that are not
 * top-level bindings of `file`, for the caller to judge.
 */
export function closureOf(file: string, names: readonly string[], label: Label, cache?: CodeCache): CodeParts & { missing: string[] } {
  const walk: Walk = { label, out: { parts: {}, notes: [] }, seen: new Set(), cache };
  const missing = addBindings(file, names, walk);
  return { ...walk.out, missing };
}

function addBindings(file: string, names: Iterable<string>, walk: Walk): string[] {
  const { label, out } = walk;
  const info = moduleInfo(file, walk.cache);
  const missing: string[] = [];
  if (!info) {
    out.notes.push(`${label(file)} cannot be read`);
    return missing;
  }
  if (info.error !== undefined) {
    out.parts[`module ${label(file)}`] = info.source;
    return missing;
  }
  for (const name of names) {
    const key = `${file}\u0000${name}`;
    if (walk.seen.has(key)) continue;
    walk.seen.add(key);
    const binding = info.bindings[name];
    if (binding) {
      if ("task" in binding) continue;
      out.parts[`helper \`${name}\` in ${label(file)}`] = binding.hash;
      addBindings(file, binding.refs, walk);
      continue;
    }
    const imported = info.imports[name];
    if (imported) addImport(file, imported.from, imported.imported, walk);
    else missing.push(name);
  }
  return missing;
}

function addImport(fromFile: string, specifier: string, imported: string, walk: Walk): void {
  const { label, out } = walk;
  const target = resolveImport(fromFile, specifier);
  switch (target.kind) {
    case "builtin":
      return;
    case "package":
      out.parts[`package \`${target.name}\``] = target.version;
      return;
    case "unresolved":
      out.parts[`import "${specifier}" in ${label(fromFile)}`] = "unresolved";
      out.notes.push(`import "${specifier}" in ${label(fromFile)} cannot be resolved`);
      return;
    case "file":
      out.parts[`file ${label(target.file)}`] = fileDigest(target.file);
      return;
    case "code":
      addExport(target.file, imported, walk, 0);
  }
}

/** Adds what module `file` exports as `name`; `*` (a namespace import) is everything it exports. */
function addExport(file: string, name: string, walk: Walk, depth: number): void {
  const key = `${file}\u0000export ${name}`;
  if (walk.seen.has(key) || depth > 64) return;
  walk.seen.add(key);
  const info = moduleInfo(file, walk.cache);
  if (!info || info.error !== undefined) {
    addBindings(file, [], walk);
    return;
  }
  if (name === "*") {
    for (const exported of exportNames(info)) addExport(file, exported, walk, depth + 1);
    for (const star of info.stars) addImport(file, star, "*", walk);
    return;
  }
  const entry = info.exports[name];
  if (entry && "local" in entry) addBindings(file, [entry.local], walk);
  else if (entry) addImport(file, entry.from, entry.imported, walk);
  else {
    // `export * from`: the name comes from whichever re-exported module has it.
    for (const star of info.stars) {
      const target = resolveImport(file, star);
      if (target.kind === "code") addExport(target.file, name, walk, depth + 1);
      else if (target.kind === "package") walk.out.parts[`package \`${target.name}\``] = target.version;
    }
  }
}

function exportNames(info: ModuleInfo): string[] {
  return Object.keys(info.exports).filter((n) => n !== "default");
}

const fileDigests = new Map<string, string>();

function fileDigest(file: string): string {
  let digest = fileDigests.get(file);
  if (digest === undefined) {
    try {
      digest = hashText(readFileSync(file, "latin1"));
    } catch {
      digest = "unreadable";
    }
    fileDigests.set(file, digest);
  }
  return digest;
}
