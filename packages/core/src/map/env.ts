import type { FingerprintComponents } from "../contracts/store.js";
import type { RunEvent } from "../contracts/logger.js";
import type { RunPlan } from "../run/plan.js";
import type { AttemptEnv } from "../run/invoke.js";
import type { Task } from "../task/task.js";
import type { Permits } from "./pool.js";
import type { MappedEnv } from "./run-mapped.js";

/** What a mapped task's branches need, from the run's plan and the task's attempt. */
export function mappedEnv(
  plan: RunPlan,
  task: Task<unknown>,
  attempt: AttemptEnv,
  components: FingerprintComponents,
  emit: (event: RunEvent) => void,
  permits: Permits,
): MappedEnv {
  return {
    pipeline: plan.pipeline,
    store: plan.store,
    cwd: plan.cwd,
    permits,
    now: plan.now,
    signal: plan.signal,
    drained: attempt.drained,
    escapes: attempt.escapes,
    executor: attempt.executor,
    logger: attempt.logger,
    forced: plan.forced.has(task.name),
    components,
    readResult: attempt.readResult,
    onProcess: attempt.onProcess,
    onBranch: (report) => emit({ type: "task:branch", task: task.name, branches: { ...report }, at: plan.now() }),
    warn: (message) => emit({ type: "warn", task: task.name, message, at: plan.now() }),
  };
}
