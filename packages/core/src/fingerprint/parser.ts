import { createRequire } from "node:module";
import type * as Oxc from "oxc-parser";

let oxc: typeof Oxc | undefined;

/**
 * oxc's `parseSync`, loaded on first use: a warm run whose analyses all come from the code
 * cache never loads the native parser.
 */
export function parseSync(...args: Parameters<typeof Oxc.parseSync>): ReturnType<typeof Oxc.parseSync> {
  oxc ??= createRequire(import.meta.url)("oxc-parser") as typeof Oxc;
  return oxc.parseSync(...args);
}
