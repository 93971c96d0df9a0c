import { defineConfig } from "vitest/config";

// The tests start real processes (the lp bin, shells on pipes and on a pseudo-terminal).
// On a busy two-core machine one can take seconds, so the limits are generous; they guard
// against a hang and measure nothing.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxConcurrency: 4,
  },
});
