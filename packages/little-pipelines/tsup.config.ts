import { defineConfig } from "tsup";
import { withBin } from "../tsup.base.js";

// The library, then the `lp` bin (dist/cli.js), so that installing the umbrella alone gives it.
export default defineConfig(withBin());
