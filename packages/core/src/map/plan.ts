import type { FingerprintComponents, ResultMeta } from "../contracts/store.js";
import type { Pipeline } from "../pipeline.js";
import { readStored } from "../run/read.js";
import type { Task } from "../task/task.js";
import type { BranchItem } from "./items.js";
import { fileItems, listItems } from "./items.js";
import { branchIsFresh, branchesOf, storedBranches } from "./run-mapped.js";

/** What `status()` says of a mapped task's branches. */
export interface BranchStatus {
  /** Items mapped over; `undefined` while the mapped upstream has yet to run. */
  total: number | undefined;
  /** Items whose branch would run. */
  willRun: number;
  /** Why they would run, by cause: `new item`, `changed file`, `new file`, `expired`, `forced`. */
  causes: Record<string, number>;
  /** The line shown, e.g. `3 of 120 branches will run: 2 new items, 1 changed file`. */
  text: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const branchCount = (n: number) => `${n} branch${n === 1 ? "" : "es"}`;

/** Counts by cause in a fixed order, as a phrase. */
function causesText(causes: Record<string, number>): string {
  return Object.entries(causes)
    .map(([cause, n]) => (cause === "forced" || cause === "expired" ? `${n} ${cause}` : plural(n, cause)))
    .join(", ");
}

/** The items a mapped task would run over now: its files, or its upstream's stored list (`undefined` when none is stored). */
export async function itemsFor(pipeline: Pipeline, task: Task<unknown>): Promise<BranchItem[] | undefined> {
  const map = task.map!;
  if (map.kind === "files") return fileItems(task, map.patterns, pipeline.cwd);
  const stored = await pipeline.store.get(map.task);
  if (!stored) return undefined;
  return listItems(task, map.task, readStored(pipeline, map.task, stored.body, stored.meta.serializer));
}

/**
 * Decides each branch of a mapped task as a run would, reading only branch metadata (and
 * the mapped upstream's stored result): how many would run and why.
 * @param previous - metadata of the task's stored combined result, to tell a changed file from a new one
 * @param upstreamWillRun - the mapped upstream runs first, so its elements are not known yet
 */
export async function planBranches(
  pipeline: Pipeline,
  task: Task<unknown>,
  components: FingerprintComponents,
  previous: ResultMeta | undefined,
  upstreamWillRun: boolean,
  forced: boolean,
): Promise<BranchStatus | undefined> {
  const map = task.map;
  if (!map) return undefined;
  if (map.kind === "task" && upstreamWillRun) {
    return { total: undefined, willRun: 0, causes: {}, text: `branches are decided once ${map.task} has run` };
  }
  const items = await itemsFor(pipeline, task);
  if (!items) return undefined;
  const now = pipeline.now();
  const causes: Record<string, number> = {};
  let willRun = 0;
  const stored = forced ? new Map<string, ResultMeta>() : await storedBranches(task, pipeline.store);
  for (const branch of branchesOf(task, components, items).branches.values()) {
    const meta = stored.get(branch.key);
    if (!forced && branchIsFresh(meta, branch, now)) continue;
    for (const item of branch.items) {
      const cause = forced
        ? "forced"
        : meta
          ? "expired"
          : item.file === undefined
            ? "new item"
            : previous?.components?.inputs?.[item.file] !== undefined
              ? "changed file"
              : "new file";
      causes[cause] = (causes[cause] ?? 0) + 1;
      willRun++;
    }
  }
  const text =
    items.length === 0
      ? "nothing to map over"
      : willRun === 0
        ? `${branchCount(items.length)} cached`
        : `${willRun} of ${branchCount(items.length)} will run: ${causesText(causes)}`;
  return { total: items.length, willRun, causes, text };
}
