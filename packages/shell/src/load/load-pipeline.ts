import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Pipeline } from "@lp/core";
import { loadWithoutRunning } from "@lp/core/internal";
import { PipelineFileError, PipelineLoadError, ShellError, TypeScriptLoaderError, isMissingTsx } from "../errors.js";
import { findPipelineExport } from "./find-export.js";

/**
 * Extensions `loadPipeline` accepts: JavaScript as is; TypeScript through tsx when it is
 * installed, else through Node's own type stripping where this Node.js has it.
 */
export const PIPELINE_EXTENSIONS: readonly string[] = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];
const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);

let typescriptReady: Promise<void> | undefined;

/** The tsconfig.json nearest a file, whose `paths` its imports may use. */
function nearestTsconfig(file: string): string | undefined {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "tsconfig.json"))) return join(dir, "tsconfig.json");
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Teaches this process to import TypeScript, once. tsx is an optional peer dependency (it
 * brings esbuild, megabytes a JavaScript-only user never needs). Its hooks are registered
 * for the whole process (not a namespace) so that the pipeline file and the shell share
 * one copy of `@lp/core`, and files the pipeline imports later load too. The pipeline's own
 * tsconfig is used (not the working directory's), so `paths` aliases resolve from anywhere. Without tsx,
 * a Node.js that strips types (`process.features.typescript`, 22.18+ by default) imports
 * the file itself.
 * @throws TypeScriptLoaderError when neither is available
 */
function enableTypeScript(file: string): Promise<void> {
  typescriptReady ??= (async () => {
    let apis: [typeof import("tsx/esm/api"), typeof import("tsx/cjs/api")];
    try {
      apis = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
    } catch (error) {
      if (isMissingTsx(error) && nodeStripsTypes()) return;
      throw new TypeScriptLoaderError(file, error);
    }
    const tsconfig = nearestTsconfig(file);
    apis[0].register(tsconfig ? { tsconfig } : {});
    apis[1].register();
  })().catch((error: unknown) => {
    // Installing tsx while a shell is open should work on the next load.
    typescriptReady = undefined;
    throw error;
  });
  return typescriptReady;
}

/** Whether this Node.js imports `.ts` files by stripping their types (off on Node 20). */
function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

/**
 * Loads the pipeline a file exports. The file may be JavaScript (`.js`, `.mjs`, `.cjs`)
 * or TypeScript (`.ts`, `.mts`, `.cts`, compiled on the fly by tsx — an optional peer
 * dependency — or by Node's own type stripping where it has it, so no build step is
 * needed). It must export the pipeline in one of these ways:
 *
 * - `export default pipeline`
 * - `export const pipeline = new Pipeline(…)`
 * - `export default function () { return pipeline }` (may be async)
 *
 * A file that runs its pipeline at top level is loaded without running it: `execute()`
 * does nothing while the file is imported.
 *
 * @param file - a path, relative to `cwd`
 * @param cwd - @default process.cwd()
 * @param options - `onTopLevelRun` is told when the file called `execute()` at top level
 * @throws PipelineFileError when the file is missing or its extension is not one of the above
 * @throws TypeScriptLoaderError when the file is TypeScript and neither tsx nor Node can load it
 * @throws PipelineLoadError when importing the file throws
 * @throws NoPipelineExportError when it exports no pipeline
 * @example
 * const pipeline = await loadPipeline("pipelines/daily.ts");
 * await pipeline.execute();
 */
export async function loadPipeline(file: string, cwd: string = process.cwd(), options: LoadOptions = {}): Promise<Pipeline> {
  if (typeof file !== "string" || file === "") throw new PipelineFileError(String(file), "is not a path");
  const path = resolve(cwd, file);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new PipelineFileError(file, "does not exist");
  if (!info.isFile()) throw new PipelineFileError(file, "is not a file");
  const ext = extname(path).toLowerCase();
  if (!PIPELINE_EXTENSIONS.includes(ext)) {
    throw new PipelineFileError(file, `has an unsupported extension "${ext}" (use one of ${PIPELINE_EXTENSIONS.join(", ")})`);
  }
  if (TYPESCRIPT.has(ext)) await enableTypeScript(file);
  let namespace: Record<string, unknown> = {};
  const { executeCalls } = await loadWithoutRunning(async () => {
    try {
      namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ShellError) throw error;
      throw new PipelineLoadError(file, error);
    }
  }).catch((error: unknown) => {
    // A file that runs its pipeline at top level often reads results next, and fails here.
    if (error instanceof PipelineLoadError && ranAtTopLevel(error)) throw new PipelineLoadError(file, error.cause, RUN_GUARD_HINT);
    throw error;
  });
  if (executeCalls.length > 0) options.onTopLevelRun?.(`${file} runs its pipeline when imported; that run was skipped. ${RUN_GUARD_HINT}`);
  return findPipelineExport(namespace, file);
}

/** How to write a file that works both as a script and for `lp`. */
export const RUN_GUARD_HINT = "Guard the run so the file also works with lp: if (isMainModule(import.meta.url)) await pipeline.execute();";

function ranAtTopLevel(error: PipelineLoadError): boolean {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return code === "LP_NO_RESULT";
}

/** Options of {@link loadPipeline}. */
export interface LoadOptions {
  /** Told when the file called `execute()` while being imported (that run is skipped). */
  onTopLevelRun?(message: string): void;
}
