import { defineConfig } from "tsup";
import { base } from "../tsup.base.js";

// The library and the `lp` bin (dist/cli.js, made executable by tsup for its #! line).
// string-width is ESM-only: bundled so that the CommonJS build can use it too.
export default defineConfig(
  base({ entry: ["src/index.ts", "src/cli.ts"], noExternal: ["string-width", "strip-ansi", "ansi-regex", "get-east-asian-width", "emoji-regex"] }),
);
