export { Shell } from "./shell/shell.js";
export type { CommandMethod, ShellOptions } from "./shell/shell.js";
export type { LogLevel } from "./shell/levels.js";

export { loadPipeline, PIPELINE_EXTENSIONS, RUN_GUARD_HINT } from "./load/load-pipeline.js";
export type { LoadOptions } from "./load/load-pipeline.js";
export { findPipelineFile, CONVENTIONAL_NAMES, PACKAGE_FIELD } from "./load/find-file.js";
export { JSON_SCHEMAS } from "./cli/json.js";
export { isPipeline } from "./load/is-pipeline.js";
export { lpMain, runCli } from "./cli/entry.js";
export type { CliIO } from "./cli/io.js";
export { VERSION } from "./version.js";

export {
  NoPipelineExportError,
  PipelineFileError,
  PipelineLoadError,
  ShellError,
  TypeScriptLoaderError,
  UnknownCommandError,
  UsageError,
} from "./errors.js";
export type { ShellErrorCode } from "./errors.js";
/** Thrown by `process.exit()` called from a task while a pipeline runs; defined in `@lp/core`. */
export { TaskExitError } from "@lp/core";
