// Builds the API reference (one TypeDoc site for the workspace) into docs/api.
import { join } from "node:path";
import { execOk } from "./exec.mjs";

/** Runs TypeDoc with the root typedoc.json; warnings fail the build (treatWarningsAsErrors). */
export function buildDocs(root) {
  return execOk(join(root, "node_modules", ".bin", "typedoc"), ["--logLevel", "Warn"], { cwd: root, timeoutMs: 240_000 });
}
