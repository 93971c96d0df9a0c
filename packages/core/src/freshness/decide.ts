import type { FingerprintComponents } from "../contracts/store.js";
import { type UpstreamDigest, componentsNow, computeComponents, fingerprintAtHand, fingerprintNow } from "../fingerprint/components.js";
import { combineFingerprint, diffComponents } from "../fingerprint/fingerprint.js";
import type { Task } from "../task/task.js";
import { expiryReason } from "./expiry.js";
import { type TaskDecision, decision } from "./reason.js";
import { sessionId } from "./session.js";
import { type DecisionMeta, storedComponents } from "./stored-meta.js";

/** Everything the freshness decision looks at; none of it requires reading a result body. */
export interface FreshnessInput {
  meta: DecisionMeta | undefined;
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
  return decisionBeforeDiff(meta, input.fingerprint, input.now, input.session, input.forced) ?? changedDecision(meta!, input.components);
}

/** The decision to use a stored result: made once, as nearly every task of a warm run is decided so. */
const FRESH: TaskDecision = Object.freeze(decision(Object.freeze({ kind: "fresh" })));
/** The decision to run a task with no stored result: made once, as nearly every task of a first run is decided so (the run's records keep it). */
const NEVER_RUN: TaskDecision = Object.freeze(decision(Object.freeze({ kind: "never-run" })));

/**
 * Every decision that needs no components: all but a changed fingerprint, for which it
 * gives `undefined` (the stored and current components then say what changed).
 */
function decisionBeforeDiff(meta: DecisionMeta | undefined, fingerprint: string, now: number, session: string, forced: boolean): TaskDecision | undefined {
  if (forced) return decision({ kind: "forced" });
  if (!meta) return NEVER_RUN;
  if (!meta.components || typeof meta.fingerprint !== "string") {
    return unreadable();
  }
  if (meta.fingerprint !== fingerprint) return undefined;
  const stale = expiryReason(meta, now, session);
  return stale ? decision(stale) : FRESH;
}

/** Stored metadata without components, or with components that do not decode. */
const unreadable = (): TaskDecision => decision({ kind: "unreadable", detail: "its metadata was written in another format" });

/** Why a task whose fingerprint changed runs: the first component that differs. */
function changedDecision(meta: DecisionMeta, current: FingerprintComponents): TaskDecision {
  // Decoded only here, if the store left them to decode: a fresh result never needs them.
  const stored = storedComponents(meta);
  if (!stored) return unreadable();
  const diff = diffComponents(stored, current);
  if (diff.code) return decision({ kind: "code-changed", parts: diff.codeParts });
  if (diff.version) return decision({ kind: "version-changed" });
  if (diff.inputs.length > 0) return decision({ kind: "inputs-changed", files: diff.inputs });
  if (diff.upstream.length > 0) return decision({ kind: "upstream-changed", tasks: diff.upstream });
  // Components equal but fingerprint not: written by another fingerprint scheme.
  return decision({ kind: "code-changed" });
}

/** What {@link decideTask} needs: the task's stored metadata and where upstream digests come from. */
export interface TaskFreshnessInput {
  task: Task<unknown>;
  /** The stored metadata, or its pending read (awaited while the fingerprint is computed). */
  meta: DecisionMeta | undefined | Promise<DecisionMeta | undefined>;
  cwd: string;
  upstreamDigest: UpstreamDigest;
  now: number;
  forced: boolean;
}

/** A task's decision together with the fingerprint it was decided on. */
export interface TaskFreshness {
  decision: TaskDecision;
  meta: DecisionMeta | undefined;
  components: FingerprintComponents;
  fingerprint: string;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | undefined)?.then === "function";

/** The decision once the components and the stored metadata are known. */
function decided(input: TaskFreshnessInput, components: FingerprintComponents, meta: DecisionMeta | undefined): TaskFreshness {
  const fingerprint = combineFingerprint(components);
  const chosen = decideFreshness({ meta, components, fingerprint, now: input.now, session: sessionId(), forced: input.forced });
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
  if (isThenable(meta)) return Promise.resolve(meta).then((m) => decided(input, known, m as DecisionMeta | undefined));
  try {
    return Promise.resolve(decided(input, known, meta));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A run's decision for one task: as {@link TaskFreshness}, without components when its stored result is used. */
export interface RunDecision {
  decision: TaskDecision;
  meta: DecisionMeta | undefined;
  /** Computed for a task that runs; a result used as it is needs only the fingerprint. */
  components: FingerprintComponents | undefined;
  fingerprint: string;
}

/**
 * The decision for one task of a run, as {@link decideTask} makes it and in as many
 * turns (the order of output depends on them), but from the fingerprint alone where it
 * can be computed at once (no input files, every upstream digest at hand, as for most
 * tasks): the components are computed only for a task that runs.
 */
export function decideForRun(
  task: Task<unknown>,
  meta: DecisionMeta | undefined | Promise<DecisionMeta | undefined>,
  cwd: string,
  upstreamDigest: UpstreamDigest,
  now: number,
  forced: boolean,
): Promise<RunDecision> {
  if (!fingerprintAtHand(task, upstreamDigest)) return decideTask({ task, meta, cwd, upstreamDigest, now, forced });
  if (isThenable(meta)) return Promise.resolve(meta).then((known) => decideKnown(task, known, cwd, upstreamDigest, now, forced));
  try {
    return Promise.resolve(decideKnown(task, meta, cwd, upstreamDigest, now, forced));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The decision once the metadata is known; through {@link decideTask} if the fingerprint is no longer at hand. */
function decideKnown(
  task: Task<unknown>,
  meta: DecisionMeta | undefined,
  cwd: string,
  upstreamDigest: UpstreamDigest,
  now: number,
  forced: boolean,
): RunDecision | Promise<TaskFreshness> {
  const fingerprint = fingerprintNow(task, upstreamDigest);
  if (fingerprint === undefined) return decideTask({ task, meta, cwd, upstreamDigest, now, forced });
  const chosen = decisionBeforeDiff(meta, fingerprint, now, sessionId(), forced);
  if (chosen && !chosen.run) return { decision: chosen, meta, components: undefined, fingerprint };
  // Computed in the same turn as the fingerprint, from the same digests.
  const components = componentsNow(task, upstreamDigest);
  if (!components) return decideTask({ task, meta, cwd, upstreamDigest, now, forced });
  return { decision: chosen ?? changedDecision(meta!, components), meta, components, fingerprint };
}
