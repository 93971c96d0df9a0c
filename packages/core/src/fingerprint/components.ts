import type { FingerprintComponents } from "../contracts/store.js";
import type { Task } from "../task/task.js";
import { hashInputFiles } from "./input-files.js";

/**
 * The parts of a task's fingerprint: its code, its input files and its dependencies'
 * result digests (from `upstreamDigest`; "" for a dependency with no result).
 */
export async function computeComponents(
  task: Task<unknown>,
  cwd: string,
  upstreamDigest: (name: string) => string | undefined | Promise<string | undefined>,
): Promise<FingerprintComponents> {
  const upstream: Record<string, string> = {};
  for (const dep of task.dependencies) upstream[dep] = (await upstreamDigest(dep)) ?? "";
  return {
    code: task.codeDigest(),
    inputs: await hashInputFiles(task.name, task.inputFiles, cwd, task.hashInputs),
    upstream,
    version: task.version,
  };
}
