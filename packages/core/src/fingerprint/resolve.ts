import { readFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { extname, sep } from "node:path";
import type { ResolverFactory } from "oxc-resolver";

/** Where an import leads: project code to analyse, a package (by name and version), or nothing to fingerprint. */
export type ImportTarget =
  | { kind: "code"; file: string }
  | { kind: "file"; file: string }
  | { kind: "package"; name: string; version: string }
  | { kind: "builtin" }
  | { kind: "unresolved"; error: string };

const CODE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** Whether a file holds code we parse (rather than data, such as JSON, hashed whole). */
export function isCodeFile(file: string): boolean {
  return CODE_EXTENSIONS.includes(extname(file));
}

let resolver: ResolverFactory | undefined;

/**
 * Resolves the way Node and TypeScript runners do: package.json `imports` (`#lib/x`) and
 * `exports`, tsconfig `paths`/`baseUrl` (the tsconfig nearest the importing file), and
 * TypeScript's `./x.js` → `./x.ts`.
 */
function theResolver(): ResolverFactory {
  if (!resolver) {
    // Loaded on first use, like the parser: pipelines without code fingerprints never load it.
    const { ResolverFactory: Factory } = createRequire(import.meta.url)("oxc-resolver") as typeof import("oxc-resolver");
    resolver = new Factory({
      tsconfig: "auto",
      conditionNames: ["node", "import", "module", "require", "default"],
      extensions: [...CODE_EXTENSIONS, ".json", ".node"],
      extensionAlias: { ".js": [".ts", ".tsx", ".js"], ".jsx": [".tsx", ".jsx"], ".mjs": [".mts", ".mjs"], ".cjs": [".cts", ".cjs"] },
      mainFields: ["module", "main"],
    });
  }
  return resolver;
}

/** `lodash/fp` → `lodash`, `@scope/pkg/x` → `@scope/pkg`; `undefined` for a path or `#import`. */
function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("#") || /^[A-Za-z]:[\\/]/.test(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const packageJsons = new Map<string, { name?: string; version?: string }>();

function readPackageJson(path: string): { name?: string; version?: string } {
  let pkg = packageJsons.get(path);
  if (!pkg) {
    try {
      pkg = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
    } catch {
      pkg = {};
    }
    packageJsons.set(path, pkg);
  }
  return pkg;
}

const targets = new Map<string, ImportTarget>();

/**
 * What `specifier`, imported from `fromFile`, is. Package code (anything in `node_modules`,
 * or a bare specifier that resolves into the package it names, such as a workspace link) is
 * identified by name and version, not by content. Cached for the process.
 */
export function resolveImport(fromFile: string, specifier: string): ImportTarget {
  const key = `${fromFile}\u0000${specifier}`;
  let target = targets.get(key);
  if (!target) {
    target = resolveUncached(fromFile, specifier);
    targets.set(key, target);
  }
  return target;
}

function resolveUncached(fromFile: string, specifier: string): ImportTarget {
  if (isBuiltin(specifier)) return { kind: "builtin" };
  const result = theResolver().resolveFileSync(fromFile, specifier);
  if (!result.path) return { kind: "unresolved", error: result.error ?? "not found" };
  const named = packageNameOf(specifier);
  const pkg = result.packageJsonPath ? readPackageJson(result.packageJsonPath) : {};
  const inNodeModules = result.path.includes(`${sep}node_modules${sep}`);
  if (inNodeModules || (named !== undefined && pkg.name === named)) {
    return { kind: "package", name: pkg.name ?? named ?? specifier, version: pkg.version ?? "0.0.0" };
  }
  return isCodeFile(result.path) ? { kind: "code", file: result.path } : { kind: "file", file: result.path };
}
