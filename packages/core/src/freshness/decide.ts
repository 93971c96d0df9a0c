import type { FingerprintComponents, ResultMeta } from "../contracts/store.js";
import { type UpstreamDigest, computeComponents } from "../fingerprint/components.js";
import { combineFingerprint, diffComponents } from "../fingerprint/fingerprint.js";
import type { Task } from "../task/task.js";
import { expiryReason } from "./expiry.js";
import { type TaskDecision, decision } from "./reason.js";
import { SESSION_ID } from "./session.js";

/** Everything the freshness decision looks at; none of it requires reading a result body. */
export interface FreshnessInput {
  meta: ResultMeta | undefined;
  components: FingerprintComponents;
  fingerprint: string;
  now: number;
  session: string;
  forced: boolean;
}

/**
 * Whether a task must run, and why. A task is fresh when a result is stored, its
 * fingerprint is unchanged, its session is alive and its expiry has not passed.
 */
export function decideFreshness(input: FreshnessInput): TaskDecision {
  const { meta } = input;
  if (input.forced) return decision({ kind: "forced" });
  if (!meta) return decision({ kind: "never-run" });
  if (!meta.components || typeof meta.fingerprint !== "string") {
    return decision({ kind: "unreadable", detail: "its metadata was written in another format" });
  }
  if (meta.fingerprint !== input.fingerprint) {
    const diff = diffComponents(meta.components, input.components);
    if (diff.code) return decision({ kind: "code-changed", parts: diff.codeParts });
    if (diff.version) return decision({ kind: "version-changed" });
    if (diff.inputs.length > 0) return decision({ kind: "inputs-changed", files: diff.inputs });
    if (diff.upstream.length > 0) return decision({ kind: "upstream-changed", tasks: diff.upstream });
    // Components equal but fingerprint not: written by another fingerprint scheme.
    return decision({ kind: "code-changed" });
  }
  const stale = expiryReason(meta, input.now, input.session);
  return decision(stale ?? { kind: "fresh" });
}

/** What {@link decideTask} needs: the task's stored metadata and where upstream digests come from. */
export interface TaskFreshnessInput {
  task: Task<unknown>;
  /** The stored metadata, or its pending read (awaited while the fingerprint is computed). */
  meta: ResultMeta | undefined | Promise<ResultMeta | undefined>;
  cwd: string;
  upstreamDigest: UpstreamDigest;
  now: number;
  forced: boolean;
}

/** A task's decision together with the fingerprint it was decided on. */
export interface TaskFreshness {
  decision: TaskDecision;
  meta: ResultMeta | undefined;
  components: FingerprintComponents;
  fingerprint: string;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | undefined)?.then === "function";

/** The decision once the components and the stored metadata are known. */
function decided(input: TaskFreshnessInput, components: FingerprintComponents, meta: ResultMeta | undefined): TaskFreshness {
  const fingerprint = combineFingerprint(components);
  const chosen = decideFreshness({ meta, components, fingerprint, now: input.now, session: SESSION_ID, forced: input.forced });
  return { decision: chosen, meta, components, fingerprint };
}

/**
 * The freshness decision for one task, from its code, input files and upstream digests
 * as they are now. `execute()` and `status()` both decide through here, so what status
 * predicts is what a run does. Most tasks' components are computed at once: then one
 * reaction on the metadata's read is all the waiting (thousands of tasks decide in a run).
 */
export function decideTask(input: TaskFreshnessInput): Promise<TaskFreshness> {
  let components: FingerprintComponents | Promise<FingerprintComponents>;
  try {
    components = computeComponents(input.task, input.cwd, input.upstreamDigest);
  } catch (error) {
    components = Promise.reject(error);
  }
  if (components instanceof Promise) return Promise.all([components, input.meta]).then(([c, meta]) => decided(input, c, meta));
  const known = components;
  const { meta } = input;
  if (isThenable(meta)) return Promise.resolve(meta).then((m) => decided(input, known, m as ResultMeta | undefined));
  try {
    return Promise.resolve(decided(input, known, meta));
  } catch (error) {
    return Promise.reject(error);
  }
}
