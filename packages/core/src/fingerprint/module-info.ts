import { readFileSync } from "node:fs";
import { parseSync } from "./parser.js";
import type { CodeCache } from "./code-cache.js";
import { hashText } from "./hash.js";
import { type Node, normalize, unwrap } from "./normalize.js";
import { patternNames, referencedNames } from "./references.js";

/** A top-level binding of a module: the digest of its declaration and the names it mentions. */
export type BindingInfo = { hash: string; refs: string[] } | { task: true };

/** What fingerprinting needs of a module, read once from its source. JSON-safe. */
export interface ModuleInfo {
  /** Digest of the file's bytes. */
  source: string;
  /** `undefined` when the module parsed; otherwise why not (its whole text then counts). */
  error?: string;
  bindings: Record<string, BindingInfo>;
  /** Local name → where it is imported from. `imported` is a name, `default` or `*`. */
  imports: Record<string, { from: string; imported: string }>;
  /** Exported name → a local binding, or a re-export from another module. */
  exports: Record<string, { local: string } | { from: string; imported: string }>;
  /** Modules re-exported with `export * from`. */
  stars: string[];
}

/** Constructors and factories whose results are tasks or pipelines: their code counts through their own fingerprints. */
const ENGINE_NAMES = new Set(["Task", "task", "Pipeline"]);
const isEnginePackage = (specifier: string) => specifier === "little-pipelines" || specifier.startsWith("@lp/");

/** The identifier at the root of `a.b(…).c(…)` / `new A(…).b(…)`, if the chain starts with a call or `new`. */
function rootCallee(expression: Node): string | undefined {
  let n = unwrap(expression);
  if (n?.type === "AwaitExpression") n = unwrap(n.argument);
  while (n?.type === "CallExpression" && unwrap(n.callee)?.type === "MemberExpression") n = unwrap(unwrap(n.callee).object);
  if (n?.type !== "CallExpression" && n?.type !== "NewExpression") return undefined;
  const callee = unwrap(n.callee);
  return callee?.type === "Identifier" ? callee.name : undefined;
}

/** The identifier at the root of `a.b.c`, the object a statement such as `a.b = 1` or `a.push(x)` changes. */
function rootObject(expression: Node): string | undefined {
  let n = unwrap(expression);
  while (n?.type === "MemberExpression") n = unwrap(n.object);
  return n?.type === "Identifier" ? n.name : undefined;
}

/** The binding a top-level expression statement changes, if any (`cfg.limit = 5`, `list.push(x)`). */
function mutatedBinding(statement: Node): string | undefined {
  const e = unwrap(statement.expression);
  if (e?.type === "AssignmentExpression" && unwrap(e.left)?.type === "MemberExpression") return rootObject(e.left);
  if (e?.type === "CallExpression" && unwrap(e.callee)?.type === "MemberExpression") return rootObject(unwrap(e.callee).object);
  return undefined;
}

const nameOf = (n: Node): string => (n.type === "Identifier" ? n.name : String(n.value));

/** Reads a module's top level: bindings, imports, exports. Never throws for bad syntax. */
export function analyseSource(file: string, text: string, source = hashText(text)): ModuleInfo {
  const info: ModuleInfo = { source, bindings: {}, imports: {}, exports: {}, stars: [] };
  let program: Node;
  try {
    const parsed = parseSync(file, text, { sourceType: "module", preserveParens: false });
    if (parsed.errors.length > 0) {
      info.error = parsed.errors[0]!.message;
      return info;
    }
    program = parsed.program;
  } catch (error) {
    info.error = error instanceof Error ? error.message : String(error);
    return info;
  }
  const engineNames = new Set(ENGINE_NAMES);
  const declarations = new Map<string, Node[]>();
  const declare = (name: string, node: Node) => {
    const list = declarations.get(name);
    if (list) list.push(node);
    else declarations.set(name, [node]);
  };
  const engine = new Set<string>();
  const declareStatement = (d: Node, exported: boolean) => {
    if (!d) return;
    switch (d.type) {
      case "FunctionDeclaration":
      case "ClassDeclaration":
      case "TSEnumDeclaration":
      case "TSModuleDeclaration":
        if (d.id?.type !== "Identifier" || d.declare) return;
        declare(d.id.name, d);
        if (exported) info.exports[d.id.name] = { local: d.id.name };
        return;
      case "VariableDeclaration":
        if (d.declare) return;
        for (const decl of d.declarations) {
          const callee = decl.init ? rootCallee(decl.init) : undefined;
          for (const name of patternNames(decl.id)) {
            if (callee !== undefined && engineNames.has(callee)) engine.add(name);
            declare(name, { ...decl, kind: d.kind });
            if (exported) info.exports[name] = { local: name };
          }
        }
    }
  };
  const mutations: Node[] = [];
  for (const s of program.body) {
    switch (s.type) {
      case "ImportDeclaration":
        if (s.importKind === "type") break;
        for (const spec of s.specifiers) {
          if (spec.importKind === "type") continue;
          const imported = spec.type === "ImportDefaultSpecifier" ? "default" : spec.type === "ImportNamespaceSpecifier" ? "*" : nameOf(spec.imported);
          info.imports[spec.local.name] = { from: s.source.value, imported };
          if (isEnginePackage(s.source.value) && ENGINE_NAMES.has(imported)) engineNames.add(spec.local.name);
        }
        break;
      case "ExportNamedDeclaration":
        if (s.exportKind === "type") break;
        if (s.declaration) declareStatement(s.declaration, true);
        for (const spec of s.specifiers ?? []) {
          if (spec.exportKind === "type") continue;
          const exported = nameOf(spec.exported);
          info.exports[exported] = s.source ? { from: s.source.value, imported: nameOf(spec.local) } : { local: nameOf(spec.local) };
        }
        break;
      case "ExportAllDeclaration":
        if (s.exportKind === "type") break;
        if (s.exported) info.exports[nameOf(s.exported)] = { from: s.source.value, imported: "*" };
        else info.stars.push(s.source.value);
        break;
      case "ExportDefaultDeclaration": {
        const d = s.declaration;
        if ((d.type === "FunctionDeclaration" || d.type === "ClassDeclaration") && d.id) {
          declareStatement(d, false);
          info.exports.default = { local: d.id.name };
        } else if (d.type === "Identifier") {
          info.exports.default = { local: d.name };
        } else if (!d.type.startsWith("TS")) {
          const callee = rootCallee(d);
          if (callee !== undefined && engineNames.has(callee)) engine.add("default");
          declare("default", d);
          info.exports.default = { local: "default" };
        }
        break;
      }
      case "ExpressionStatement":
        mutations.push(s);
        break;
      default:
        declareStatement(s, false);
    }
  }
  // A statement that changes a binding (`cfg.limit = 5`) belongs to that binding's code.
  for (const s of mutations) {
    const target = mutatedBinding(s);
    if (target !== undefined && declarations.has(target) && !engine.has(target)) declarations.get(target)!.push(s);
  }
  for (const [name, nodes] of declarations) {
    if (engine.has(name)) {
      info.bindings[name] = { task: true };
      continue;
    }
    const refs = new Set<string>();
    for (const n of nodes) referencedNames(n, refs);
    refs.delete(name);
    info.bindings[name] = { hash: hashText(normalize(nodes)), refs: [...refs].sort() };
  }
  return info;
}

const modules = new Map<string, ModuleInfo | undefined>();

/**
 * A module's {@link ModuleInfo}, read once per process (the code that runs is the code that
 * was loaded) and parsed only when `cache` holds no analysis of these exact bytes;
 * `undefined` when the file cannot be read.
 */
export function moduleInfo(file: string, cache?: CodeCache): ModuleInfo | undefined {
  let info = modules.get(file);
  if (info === undefined && !modules.has(file)) {
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const source = hashText(text);
      const analyse = () => analyseSource(file, text, source);
      info = cache ? cache.module(file, source, analyse) : analyse();
    }
    modules.set(file, info);
  } else if (info) cache?.useModule(file, info);
  return info;
}
