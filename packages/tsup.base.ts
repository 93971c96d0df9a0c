import type { Options } from "tsup";

/** The one build setup every package shares: ESM + CJS + declarations for Node 20. */
export function base(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node20",
    platform: "node",
    shims: true,
    splitting: false,
    ...overrides,
  };
}
