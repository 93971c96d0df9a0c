import { defineConfig } from "tsup";
import { base } from "../tsup.base.js";

// string-width is ESM-only: bundled so that the CommonJS build can use it too.
export default defineConfig(base({ noExternal: ["string-width", "strip-ansi", "ansi-regex", "get-east-asian-width", "emoji-regex"] }));
