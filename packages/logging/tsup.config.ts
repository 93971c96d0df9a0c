import { defineConfig } from "tsup";
import { base } from "../tsup.base.js";

// string-width is ESM-only: bundled so that the CommonJS build can use it too. picocolors
// (2.6 KB of CommonJS) is bundled too: imported from an ES module, Node would load it
// through its CommonJS loader and export scanner at every start. Its types stay a dependency.
export default defineConfig(
  base({ noExternal: ["string-width", "strip-ansi", "ansi-regex", "get-east-asian-width", "emoji-regex", "picocolors"] }),
);
