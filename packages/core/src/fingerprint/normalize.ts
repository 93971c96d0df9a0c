/**
 * A canonical text for a piece of syntax: what it does, not how it is written. Positions,
 * raw spellings (quote style, `1_000` vs `1000`), comments, formatting and TypeScript types
 * are left out, and what a TypeScript runner adds when it compiles (esbuild's `__name(…)`
 * wrappers) is undone, so that the same function reads the same from its file and from
 * `Function.prototype.toString()` under `node`, `tsx` or `lp`. A changed literal,
 * identifier or operator changes the text.
 */

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes are walked generically.
export type Node = any;

/** Keys that never change what code does. */
const SKIPPED_KEYS = new Set([
  "type",
  "start",
  "end",
  "range",
  "loc",
  "raw",
  "typeAnnotation",
  "returnType",
  "typeParameters",
  "typeArguments",
  "superTypeArguments",
  "implements",
  "declare",
  "definite",
  "accessibility",
  "override",
  "abstract",
]);

/** Expression wrappers that exist only for the type checker. */
const TYPE_WRAPPERS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "TSInstantiationExpression", "ParenthesizedExpression"]);

/** `__name(fn, "fn")`, which esbuild's `keepNames` wraps around functions. */
function isKeepNamesCall(node: Node): boolean {
  return node?.type === "CallExpression" && node.callee?.type === "Identifier" && node.callee.name === "__name" && node.arguments?.length === 2;
}

/** The node under type-only wrappers and esbuild's `__name` wrapper. */
export function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    if (n && TYPE_WRAPPERS.has(n.type)) n = n.expression;
    else if (isKeepNamesCall(n)) n = n.arguments[0];
    else return n;
  }
}

/** A statement esbuild adds to name a function (`__name(foo, "foo");`), or a type-only one. */
function isNoise(node: Node): boolean {
  if (!node || typeof node !== "object") return false;
  if (node.type === "ExpressionStatement" && isKeepNamesCall(node.expression)) return true;
  if (node.type === "TSTypeAliasDeclaration" || node.type === "TSInterfaceDeclaration") return true;
  return node.type === "ImportDeclaration" && node.importKind === "type";
}

/** The canonical text of a node; see the module comment. */
export function normalize(input: Node): string {
  if (input === null || input === undefined) return "_";
  if (typeof input !== "object") return JSON.stringify(input) ?? "_";
  if (Array.isArray(input)) {
    let out = "[";
    for (const item of input) if (!isNoise(item)) out += `${normalize(item)},`;
    return `${out}]`;
  }
  const node = unwrap(input);
  if (node !== input) return normalize(node);
  switch (node.type) {
    case "Literal":
      if (node.regex) return `R${JSON.stringify(node.regex)}`;
      if (node.bigint !== undefined && node.bigint !== null) return `B${node.bigint}`;
      return `L${JSON.stringify(node.value)}`;
    case "TemplateElement":
      return `T${JSON.stringify(node.value?.cooked ?? node.value?.raw)}`;
    case "Identifier":
      return `I${node.name}`;
  }
  const type = node.type === "FunctionDeclaration" ? "FunctionExpression" : node.type === "ClassDeclaration" ? "ClassExpression" : node.type;
  let out = `${type}(`;
  for (const key in node) {
    if (SKIPPED_KEYS.has(key)) continue;
    const value = node[key];
    // Empty decorator lists and `optional: false` appear only in some parse modes.
    if ((key === "decorators" && Array.isArray(value) && value.length === 0) || (key === "optional" && value === false)) continue;
    out += `${key}=${normalize(value)};`;
  }
  return `${out})`;
}
