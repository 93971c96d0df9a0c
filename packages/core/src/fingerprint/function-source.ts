import { parseSync } from "./parser.js";
import type { CodeCache } from "./code-cache.js";
import { hashText } from "./hash.js";
import { type Node, normalize, unwrap } from "./normalize.js";
import { declaredNames, isGlobalName, referencedNames } from "./references.js";

/** What fingerprinting needs of one process function, read from its runtime source. */
export interface FunctionInfo {
  /** Digest of its normalized syntax; of its raw text when it cannot be parsed. */
  hash: string;
  /** Names it mentions that it does not declare itself and that are not globals. */
  free: string[];
  /** False for source that cannot be parsed (`[native code]`, a bound function). */
  parsed: boolean;
}

function parseFunction(text: string): Node | undefined {
  // A method (`run() {…}`) is not an expression on its own: read it inside an object.
  for (const wrapped of [`(${text}\n)`, `({${text}\n})`]) {
    try {
      const { program, errors } = parseSync("process.ts", wrapped, { sourceType: "module", preserveParens: false });
      if (errors.length > 0) continue;
      let node = unwrap((program.body[0] as Node)?.expression);
      if (node?.type === "ObjectExpression") node = node.properties[0]?.value;
      if (node?.type === "FunctionExpression" || node?.type === "ArrowFunctionExpression") return node;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

const functions = new Map<string, FunctionInfo>();

/**
 * Reads a function from `fn.toString()`, as the running code has it. Its digest leaves out
 * comments, formatting and types (see `normalize`), so it is the same whichever runner
 * compiled the module. Cached by source text.
 */
export function functionInfo(fn: (...args: never[]) => unknown, cache?: CodeCache): FunctionInfo {
  const text = Function.prototype.toString.call(fn);
  let info = functions.get(text);
  if (!info) {
    info = cache ? cache.function(text, () => analyseFunction(text)) : analyseFunction(text);
    functions.set(text, info);
  } else cache?.use(text, info);
  return info;
}

function analyseFunction(text: string): FunctionInfo {
  const node = parseFunction(text);
  if (!node) return { hash: hashText(text), free: [], parsed: false };
  const declared = declaredNames(node);
  const free = [...referencedNames(node)].filter((n) => !declared.has(n) && !isGlobalName(n)).sort();
  return { hash: hashText(normalize(node)), free, parsed: true };
}
