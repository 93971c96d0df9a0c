import { type Node, unwrap } from "./normalize.js";

/** Names a runtime provides without a declaration in the module. */
const IMPLICIT = new Set(["arguments", "require", "module", "exports", "__dirname", "__filename", "__name", "undefined", "NaN", "Infinity"]);

/** Whether `name` is a global of this runtime (`JSON`, `fetch`, `process` …) or implicit in a module. */
export function isGlobalName(name: string): boolean {
  return IMPLICIT.has(name) || name in globalThis;
}

/**
 * The identifiers a piece of code mentions as values: every identifier except property
 * names (`a.b`, `{ b: 1 }`), labels and types. Names it declares itself are included too,
 * which can only make a fingerprint cover more, never less.
 */
export function referencedNames(root: Node, out: Set<string> = new Set()): Set<string> {
  const visit = (input: Node): void => {
    if (!input || typeof input !== "object") return;
    if (Array.isArray(input)) {
      for (const item of input) visit(item);
      return;
    }
    const node = unwrap(input);
    if (node !== input) return visit(node);
    switch (node.type) {
      case "Identifier":
        out.add(node.name);
        return;
      case "MemberExpression":
        visit(node.object);
        if (node.computed) visit(node.property);
        return;
      case "Property":
      case "PropertyDefinition":
      case "MethodDefinition":
      case "AccessorProperty":
        if (node.computed) visit(node.key);
        visit(node.value);
        visit(node.decorators);
        return;
      case "LabeledStatement":
        visit(node.body);
        return;
      case "BreakStatement":
      case "ContinueStatement":
      case "MetaProperty":
        return;
    }
    if (typeof node.type === "string" && node.type.startsWith("TS") && node.type !== "TSEnumDeclaration" && node.type !== "TSModuleDeclaration") return;
    for (const key in node) {
      if (key === "typeAnnotation" || key === "returnType" || key === "typeParameters" || key === "typeArguments" || key === "superTypeArguments") continue;
      const value = node[key];
      if (value && typeof value === "object") visit(value);
    }
  };
  visit(root);
  return out;
}

/** Names bound by a declaration pattern (`a`, `{ b, c: d }`, `[e, ...f]`, `g = 1`). */
export function patternNames(pattern: Node, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case "Identifier":
      out.push(pattern.name);
      break;
    case "ObjectPattern":
      for (const p of pattern.properties) patternNames(p.type === "RestElement" ? p.argument : p.value, out);
      break;
    case "ArrayPattern":
      for (const e of pattern.elements) patternNames(e, out);
      break;
    case "AssignmentPattern":
      patternNames(pattern.left, out);
      break;
    case "RestElement":
      patternNames(pattern.argument, out);
      break;
    case "TSParameterProperty":
      patternNames(pattern.parameter, out);
      break;
  }
  return out;
}

/**
 * Names a function declares for itself: its own name, its parameters and whatever its body
 * declares (variables, functions, classes, catch parameters), nested functions included.
 * What a function mentions beyond these, its module's top level and the globals, comes from
 * an enclosing function: a closure the module's text cannot pin down.
 */
export function declaredNames(fn: Node): Set<string> {
  const out = new Set<string>();
  const visit = (node: Node): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    switch (node.type) {
      case "VariableDeclarator":
        for (const n of patternNames(node.id)) out.add(n);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        if (node.id) out.add(node.id.name);
        for (const p of node.params ?? []) for (const n of patternNames(p)) out.add(n);
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        if (node.id) out.add(node.id.name);
        break;
      case "CatchClause":
        for (const n of patternNames(node.param)) out.add(n);
        break;
    }
    for (const key in node) {
      const value = node[key];
      if (value && typeof value === "object" && key !== "typeAnnotation" && key !== "returnType") visit(value);
    }
  };
  visit(fn);
  return out;
}
