import { createRequire } from "node:module";

// The build writes the version in (tsup's `define`), which spares every import a CommonJS
// require of package.json (~1 ms); run from source, as the tests do, it is read from there.
declare const __LP_SHELL_VERSION__: string | undefined;

/** This package's version, from its package.json. */
export const VERSION: string =
  typeof __LP_SHELL_VERSION__ === "string" ? __LP_SHELL_VERSION__ : (createRequire(import.meta.url)("../package.json") as { version: string }).version;
