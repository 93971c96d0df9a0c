import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PipelineFileError } from "../errors.js";

/** File names `lp` looks for in the current folder when no pipeline file is given. */
export const CONVENTIONAL_NAMES: readonly string[] = ["pipeline.ts", "pipeline.mts", "pipeline.js", "pipeline.mjs", "pipeline.cts", "pipeline.cjs"];

/** The package.json field that names a project's pipeline file: `"little-pipelines": { "pipeline": "src/daily.ts" }`. */
export const PACKAGE_FIELD = "little-pipelines";

/**
 * The pipeline file to use when none is given: the file named by package.json's
 * `"little-pipelines": { "pipeline": … }` in `cwd`, else the first of
 * {@link CONVENTIONAL_NAMES} there. Paths are relative to `cwd`.
 * @throws PipelineFileError saying where it looked and how to name the file
 */
export function findPipelineFile(cwd: string): string {
  const pkgPath = join(cwd, "package.json");
  if (existsSync(pkgPath)) {
    let field: unknown;
    try {
      field = (JSON.parse(readFileSync(pkgPath, "utf8")) as Record<string, unknown>)[PACKAGE_FIELD];
    } catch {
      field = undefined;
    }
    const named = (field as { pipeline?: unknown } | undefined)?.pipeline;
    if (typeof named === "string" && named !== "") return named;
    if (field !== undefined) {
      throw new PipelineFileError("package.json", `has a "${PACKAGE_FIELD}" field without a "pipeline" path; write "${PACKAGE_FIELD}": { "pipeline": "pipeline.ts" }`);
    }
  }
  const found = CONVENTIONAL_NAMES.find((name) => existsSync(join(cwd, name)));
  if (found) return found;
  throw new PipelineFileError(
    "(none given)",
    `was not found: no ${CONVENTIONAL_NAMES.join(", ")} in ${cwd} and no "${PACKAGE_FIELD}": { "pipeline": "…" } in its package.json. Name the file, e.g. lp run pipelines/daily.ts`,
  );
}
