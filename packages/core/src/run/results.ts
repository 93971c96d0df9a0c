import type { ResultBytes } from "../contracts/executor.js";
import type { RunEvent } from "../contracts/logger.js";
import type { DecisionMeta } from "../freshness/stored-meta.js";
import { DependencyFailure, NoResultError, StoreError, UnreadableResultError, errorMessage } from "../errors.js";
import type { RunPlan } from "./plan.js";
import { readerCopy } from "./recent.js";
import type { TaskSlot } from "./slot.js";

/**
 * The results a run reads: its own, held in memory while they save, and stored ones —
 * only the exact versions its fingerprints recorded.
 */
export class RunResults {
  readonly #plan: RunPlan;
  readonly #slots: ReadonlyMap<string, TaskSlot>;
  readonly #emit: (event: RunEvent) => void;
  readonly #rerun: (slot: TaskSlot) => Promise<void>;
  readonly #repairs = new Map<string, Promise<void>>();
  /** Digests of dependencies outside the run, read once: what fingerprints record is what tasks read. */
  readonly #outside = new Map<string, Promise<string | undefined>>();

  /** @param rerun - runs a cached task again whose stored body turned out unusable */
  constructor(plan: RunPlan, slots: ReadonlyMap<string, TaskSlot>, emit: (event: RunEvent) => void, rerun: (slot: TaskSlot) => Promise<void>) {
    this.#plan = plan;
    this.#slots = slots;
    this.#emit = emit;
    this.#rerun = rerun;
  }

  /** Metadata of a task's stored result; a store fault is reported against the task. */
  meta(name: string): Promise<DecisionMeta | undefined> {
    return Promise.resolve(this.storedMeta(name)).then(undefined, (error: unknown) => {
      throw this.metaFault(name, error);
    });
  }

  /**
   * Metadata of a task's stored result as the store answers it, with no promise of the
   * run's own per task: a fault it rejects with is the store's error, to be put down to the
   * task with {@link metaFault}.
   */
  storedMeta(name: string): DecisionMeta | undefined | Promise<DecisionMeta | undefined> {
    const { store } = this.#plan;
    try {
      // What a decision needs: a store may leave the components to decode when they are asked for.
      return store.getDecisionMeta ? store.getDecisionMeta(name) : store.getMeta(name);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A fault of the store reading a task's metadata, told against the task. */
  metaFault(name: string, error: unknown): StoreError {
    const where = this.#plan.store.description ?? "the store";
    return new StoreError(`Task "${name}": reading its stored metadata from ${where} failed (${errorMessage(error)}).`, error);
  }

  /** Digest of a dependency's result: this run's, else the stored one. */
  readonly upstreamDigest = (dep: string): string | undefined | Promise<string | undefined> => {
    const slot = this.#slots.get(dep);
    return slot ? slot.digest : this.#outsideDigest(dep);
  };

  /** A result this run produced and holds in memory (its save may still be under way), as a reader may have it. */
  held(name: string): ResultBytes | undefined {
    const slot = this.#slots.get(name);
    return slot?.body && slot.meta ? readerCopy(slot.body, slot.meta.serializer) : undefined;
  }

  /**
   * A result for a running task, as bytes: from this run's memory, else from the store —
   * and then only the exact version the task's fingerprint records. Another process may
   * have replaced it since this run decided it was fresh; using the newer one would store
   * the dependent as computed from a version it never saw.
   * @param reader - the task asking, named when the result may not be used
   */
  async read(name: string, reader: string): Promise<ResultBytes> {
    const pipeline = this.#plan.pipeline;
    const slot = this.#slots.get(name);
    if (!slot && !pipeline.hasTask(name)) pipeline.getTask(name); // throws, with a suggestion
    // The last dependent to read a big result takes the value as the task returned it.
    if (slot?.value && slot.body && slot.meta && slot.readers === 1) {
      const { value } = slot.value;
      slot.value = undefined;
      return { body: slot.body, serializer: slot.meta.serializer, value };
    }
    const held = this.held(name);
    if (held) return held;
    // Its result was never stored (a save that failed): nothing may be computed from it.
    if (slot?.failedRoots) throw new DependencyFailure(reader, slot.failedRoots);
    // A task of this run that has not settled on a result (a sibling still running, read
    // through pipeline.getResult) is read as stored, as pipeline.getResult() would.
    const expected = slot?.digest ?? (await this.#outsideDigest(name));
    const stored = await this.#plan.store.get(name).catch((error: unknown) => {
      this.#emit({ type: "warn", task: name, message: `Stored result unreadable: ${errorMessage(error)}`, at: this.#plan.now() });
      return undefined;
    });
    if (stored && stored.meta.digest === expected) return { body: stored.body, serializer: stored.meta.serializer };
    // Listed as fresh but the body is gone, corrupt or replaced meanwhile: run the task again, once.
    if (slot && slot.record.state === "cached") {
      await this.#repair(slot);
      const repaired = this.held(name);
      if (repaired) return repaired;
    }
    if (stored) throw new UnreadableResultError(pipeline.name, name, "was replaced by another process while this run was using it");
    throw new NoResultError(pipeline.name, name);
  }

  #repair(slot: TaskSlot): Promise<void> {
    let pending = this.#repairs.get(slot.task.name);
    if (!pending) {
      const message = "Cached result is missing or corrupt, or was replaced meanwhile; running the task again";
      this.#emit({ type: "warn", task: slot.task.name, message, at: this.#plan.now() });
      pending = this.#rerun(slot);
      this.#repairs.set(slot.task.name, pending);
    }
    return pending;
  }

  /** Stored-result digest of a dependency that is not part of this run, as first seen. */
  #outsideDigest(name: string): Promise<string | undefined> {
    let digest = this.#outside.get(name);
    if (!digest) {
      digest = Promise.resolve(this.storedMeta(name)).then(
        (meta) => meta?.digest,
        () => undefined,
      );
      this.#outside.set(name, digest);
    }
    return digest;
  }
}
