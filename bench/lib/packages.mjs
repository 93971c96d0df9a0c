// The built packages, imported by path: bench/ is not a workspace package.
// Build first: `pnpm build` at the repository root.
export * from "../../packages/core/dist/index.js";
export { digestBytes } from "../../packages/core/dist/internal.js";
export { CacacheStore, cacacheStore } from "../../packages/cache/dist/index.js";
export { threadsExecutor } from "../../packages/threads/dist/index.js";
