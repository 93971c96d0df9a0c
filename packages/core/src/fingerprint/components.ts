import type { FingerprintComponents } from "../contracts/store.js";
import type { Task } from "../task/task.js";
import { canonicalLine, joinParts } from "./fingerprint.js";
import { hashText } from "./hash.js";
import { hashInputFiles } from "./input-files.js";

/**
 * The parts of a task's fingerprint: its code, its input files and its dependencies'
 * result digests (from `upstreamDigest`; "" for a dependency with no result). Computed at
 * once when nothing needs waiting for (no input files, every digest at hand), as for most
 * tasks: a promise per task and per step is most of what deciding thousands of tasks costs.
 */
export function computeComponents(
  task: Task<unknown>,
  cwd: string,
  upstreamDigest: UpstreamDigest,
): FingerprintComponents | Promise<FingerprintComponents> {
  const upstream = upstreamDigests(task, upstreamDigest);
  if (upstream instanceof Promise || task.inputFiles.length > 0) return componentsLater(task, cwd, upstream);
  return componentsOf(task, {}, upstream);
}

/** The components, when {@link computeComponents} has them at once; else `undefined`. */
export function componentsNow(task: Task<unknown>, upstreamDigest: UpstreamDigest): FingerprintComponents | undefined {
  if (task.inputFiles.length > 0) return undefined;
  const upstream = upstreamDigests(task, upstreamDigest);
  return upstream instanceof Promise ? undefined : componentsOf(task, {}, upstream);
}

async function componentsLater(task: Task<unknown>, cwd: string, pending: Record<string, string> | Promise<Record<string, string>>): Promise<FingerprintComponents> {
  const upstream = await pending;
  const code = task.codeFingerprint();
  const inputs = task.inputFiles.length === 0 ? {} : await hashInputFiles(task.name, task.inputFiles, cwd, task.hashInputs);
  return componentsOf(task, inputs, upstream, code);
}

function componentsOf(
  task: Task<unknown>,
  inputs: Record<string, string>,
  upstream: Record<string, string>,
  code = task.codeFingerprint(),
): FingerprintComponents {
  return { code: code.digest, codeParts: code.parts, inputs, upstream, version: task.version };
}

/**
 * A task's fingerprint, computed at once without building its components: when it has no
 * input files and every upstream digest is at hand; else `undefined`. The same digest as
 * `combineFingerprint` of the components `computeComponents` gives.
 */
export function fingerprintNow(task: Task<unknown>, upstreamDigest: UpstreamDigest): string | undefined {
  if (task.inputFiles.length > 0) return undefined;
  const upstream = upstreamNow(task.dependencies, upstreamDigest);
  if (upstream === undefined) return undefined;
  return hashText(joinParts(task.codeFingerprint().digest, "", upstream, task.version));
}

/**
 * Whether {@link fingerprintNow} can compute the task's fingerprint at once: it has no
 * input files, every upstream digest is at hand and its code's digest can be computed.
 */
export function fingerprintAtHand(task: Task<unknown>, upstreamDigest: UpstreamDigest): boolean {
  if (task.inputFiles.length > 0) return false;
  const deps = task.dependencies;
  for (let i = 0; i < deps.length; i++) if (upstreamDigest(deps[i]!) instanceof Promise) return false;
  try {
    task.codeFingerprint();
    return true;
  } catch {
    // Decided the general way, which reports the error.
    return false;
  }
}

/** A record keyed by name never has `__proto__` as its own key: assigning a string to it does nothing. */
const NOT_A_KEY = "__proto__";

/**
 * The upstream digests in the canonical form of the record {@link upstreamDigests} builds
 * (names sorted; dependencies are distinct), or `undefined` when a digest is pending. No
 * record is built: one keyed by task names makes a new hidden class for every name.
 */
function upstreamNow(deps: readonly string[], upstreamDigest: UpstreamDigest): string | undefined {
  const names = deps.length > 1 ? [...deps].sort() : deps;
  let out = "";
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name === NOT_A_KEY) continue;
    const digest = upstreamDigest(name);
    if (digest instanceof Promise) return undefined;
    out += canonicalLine(name, digest ?? "");
  }
  return out;
}

/** Where a dependency's result digest comes from. */
export type UpstreamDigest = (name: string) => string | undefined | Promise<string | undefined>;

/**
 * The dependencies' result digests by name; "" for a dependency with no result. A promise
 * only when some digest is not at hand yet (a dependency outside the run, read from the store).
 */
export function upstreamDigests(task: Task<unknown>, upstreamDigest: UpstreamDigest): Record<string, string> | Promise<Record<string, string>> {
  const upstream: Record<string, string> = {};
  const deps = task.dependencies;
  for (let i = 0; i < deps.length; i++) {
    const dep = deps[i]!;
    const digest = upstreamDigest(dep);
    if (digest instanceof Promise) return restOfUpstream(upstream, deps, i, digest, upstreamDigest);
    upstream[dep] = digest ?? "";
  }
  return upstream;
}

/** The digests from `deps[from]` on, the first of them pending: each asked for once the one before is known. */
async function restOfUpstream(
  upstream: Record<string, string>,
  deps: readonly string[],
  from: number,
  pending: Promise<string | undefined>,
  upstreamDigest: UpstreamDigest,
): Promise<Record<string, string>> {
  upstream[deps[from]!] = (await pending) ?? "";
  for (let i = from + 1; i < deps.length; i++) {
    const digest = upstreamDigest(deps[i]!);
    upstream[deps[i]!] = (digest instanceof Promise ? await digest : digest) ?? "";
  }
  return upstream;
}
