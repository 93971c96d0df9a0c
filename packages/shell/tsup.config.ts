import { defineConfig } from "tsup";
import { base } from "../tsup.base.js";

// The library and the `lp` bin (dist/cli.js, made executable by tsup for its #! line).
export default defineConfig(base({ entry: ["src/index.ts", "src/cli.ts"] }));
