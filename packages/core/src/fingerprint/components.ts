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
  upstreamDigest: UpstreamDigest,
): Promise<FingerprintComponents> {
  const upstream = await upstreamDigests(task, upstreamDigest);
  const code = task.codeFingerprint();
  return {
    code: code.digest,
    codeParts: code.parts,
    inputs: task.inputFiles.length === 0 ? {} : await hashInputFiles(task.name, task.inputFiles, cwd, task.hashInputs),
    upstream,
    version: task.version,
  };
}

/** Where a dependency's result digest comes from. */
export type UpstreamDigest = (name: string) => string | undefined | Promise<string | undefined>;

/** The dependencies' result digests by name; "" for a dependency with no result. */
export async function upstreamDigests(task: Task<unknown>, upstreamDigest: UpstreamDigest): Promise<Record<string, string>> {
  const upstream: Record<string, string> = {};
  for (const dep of task.dependencies) {
    const digest = upstreamDigest(dep);
    // Most digests are at hand: awaiting only real promises saves a turn per dependency.
    upstream[dep] = (digest instanceof Promise ? await digest : digest) ?? "";
  }
  return upstream;
}
