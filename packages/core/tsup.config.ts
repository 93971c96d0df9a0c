import { defineConfig } from "tsup";
import { base, hostedEntries } from "../tsup.base.js";

// Entries share one copy of each module, so a class or the session id reached through
// `@lp/core/internal` is the very one the main entry uses: split chunks for CommonJS, and
// for ES modules all of it in internal.js, which index.js re-exports and conformance.js
// (the store test suite, not loaded by a run) imports from.
export default defineConfig(
  base({
    entry: ["src/index.ts", "src/internal.ts", "src/conformance.ts"],
    splitting: true,
    esbuildPlugins: [hostedEntries("src/internal.ts", { mirrored: ["src/index.ts"], guests: ["src/conformance.ts"] })],
  }),
);
