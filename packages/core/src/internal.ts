/**
 * `@lp/core/internal`: rules shared by the little-pipelines packages so that each has one
 * home (how a name becomes a folder, where a pipeline's files live, how code is located).
 * For the project's own packages: NOT covered by semver, may change in any release.
 */
export { MAX_NAME_BYTES, nameOfSafeName, safeName } from "./location/folder-name.js";
export {
  type Env,
  HOME_ENV,
  PROJECT_FOLDER,
  type PipelineLocation,
  findProjectRoot,
  locatePipeline,
  pipelineFolder,
  pipelineLogFolder,
  resultsHome,
  sharedHome,
} from "./location/results-home.js";
