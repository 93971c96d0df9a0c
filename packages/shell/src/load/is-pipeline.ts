import type { Pipeline } from "@lp/core";

/**
 * Whether a value is a pipeline. Checked by shape rather than `instanceof`, so that a
 * pipeline built with another copy of `@lp/core` (a pipeline file's own install) is
 * still recognised.
 */
export function isPipeline(value: unknown): value is Pipeline {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === "string" &&
    typeof v.execute === "function" &&
    typeof v.status === "function" &&
    typeof v.getTask === "function" &&
    typeof v.getResult === "function" &&
    typeof v.problems === "function"
  );
}
