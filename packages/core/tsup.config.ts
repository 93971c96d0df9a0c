import { defineConfig } from "tsup";
import { base } from "../tsup.base.js";

// Entries share one copy of each module (split chunks), so a class or SESSION_ID reached
// through `@lp/core/internal` is the very one the main entry uses.
export default defineConfig(base({ entry: ["src/index.ts", "src/internal.ts", "src/conformance.ts"], splitting: true }));
