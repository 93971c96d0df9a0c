import { defineConfig } from "tsup";
import { base } from "../tsup.base.js";

// The worker is its own entry: the pool starts threads from that file.
export default defineConfig(base({ entry: ["src/index.ts", "src/worker.ts"] }));
