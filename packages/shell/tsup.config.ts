import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { withBin } from "../tsup.base.js";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

// The library, then the `lp` bin (dist/cli.js, made executable by tsup for its #! line).
// string-width is ESM-only: bundled so that the CommonJS build can use it too; picocolors
// too, so that an import loads no CommonJS file (see logging's tsup.config.ts).
// Split chunks: the command line and the shell's commands load on first use, not on import.
export default defineConfig(
  withBin({
    noExternal: ["string-width", "strip-ansi", "ansi-regex", "get-east-asian-width", "emoji-regex", "picocolors"],
    splitting: true,
    define: { __LP_SHELL_VERSION__: JSON.stringify(version) },
  }),
);
