import { branchOwner, clearBranch, clearResults, pruneResults, resultsSize, type Pipeline, type PruneReport } from "@lp/core";
import { renderCache } from "../format/cache.js";
import type { Colors } from "../format/colors.js";
import { formatBytes } from "../format/units.js";
import { UsageError } from "../errors.js";
import { parseCommandArgs } from "../shell/args.js";
import type { CommandContext } from "../shell/context.js";

/** The stored results as a table: the pipeline's tasks only, or (`all`) every entry. */
export async function cacheTable(pipeline: Pipeline, all: boolean, c: Colors): Promise<string> {
  const tasks = new Set(pipeline.tasks.map((t) => t.name));
  const entries = (await pipeline.store.list()).filter((m) => all || tasks.has(branchOwner(m.key) ?? m.key));
  return renderCache({ entries, tasks, now: pipeline.now(), totalBytes: await resultsSize(pipeline.store) }, c);
}

/** What to clear: named tasks, everything but never-expiring results, or everything. */
export type ClearTarget = { tasks: readonly string[] } | { all: true; hard: boolean };

/** `Clean[3]`: one branch of a mapped task. */
const BRANCH = /^(.*)\[(-?\d+)\]$/;

/**
 * Clears results and says what went, and what was kept and why. A mapped task goes with
 * its branches; `Clean[3]` clears one branch (and the combined result, so that it runs again).
 */
export async function clearCache(pipeline: Pipeline, target: ClearTarget): Promise<string> {
  if ("tasks" in target) {
    // Every name is checked before anything is cleared. A stored entry no task owns any more
    // (a renamed or removed task) may be cleared by name too.
    for (const name of target.tasks) {
      const base = BRANCH.exec(name)?.[1];
      if (base !== undefined) pipeline.getTask(base);
      else if (!pipeline.hasTask(name) && !(await isStored(pipeline, name))) pipeline.getTask(name);
    }
    const cleared: string[] = [];
    const absent: string[] = [];
    for (const name of target.tasks) {
      const branch = BRANCH.exec(name);
      if (branch) {
        const removed = await clearBranch(pipeline, branch[1]!, Number(branch[2]));
        if (removed.length > 0) cleared.push(`${name} (${branch[1]} runs that branch again)`);
        else absent.push(name);
        continue;
      }
      const removed = await clearResults(pipeline.store, { task: name });
      const branches = removed.filter((k) => k !== name).length;
      if (removed.length === 0) absent.push(name);
      else if (branches === 0) cleared.push(name);
      else cleared.push(`${removed.includes(name) ? `${name} and its` : `${name}'s`} ${branches} branch${branches === 1 ? "" : "es"}`);
    }
    const lines = [];
    if (cleared.length > 0) lines.push(`Cleared ${cleared.join(", ")}.`);
    if (absent.length > 0) lines.push(`Nothing stored for ${absent.join(", ")}.`);
    return lines.join("\n");
  }
  const before = (await pipeline.store.list()).length;
  const removed = await clearResults(pipeline.store, { hard: target.hard });
  const kept = before - removed.length;
  const what = `Cleared ${removed.length} result${removed.length === 1 ? "" : "s"}`;
  if (target.hard || kept === 0) return `${what}.`;
  return `${what}; kept ${kept} that never expire${kept === 1 ? "s" : ""} (add --hard to clear those too).`;
}

/** Whether the store holds a result, or branches, under a name. */
async function isStored(pipeline: Pipeline, name: string): Promise<boolean> {
  if (await pipeline.store.has(name)) return true;
  return (await pipeline.store.list()).some((m) => branchOwner(m.key) === name);
}

/** Removes expired entries and says how many and how much. */
export async function pruneCache(pipeline: Pipeline): Promise<string> {
  const report: PruneReport = await pruneResults(pipeline.store, pipeline.now());
  const n = report.removed.length;
  const kept = report.kept ? `\nKept: ${report.kept}.` : "";
  if (n === 0) return `Nothing to prune: no stored result has expired or failed verification.${kept}`;
  return `Pruned ${n} expired or unreadable result${n === 1 ? "" : "s"} (${report.removed.join(", ")}), freeing ${formatBytes(report.freedBytes)}.${kept}`;
}

const CLEAR_USAGE = "clear-cache <task>... | . [--hard]";

/** Reads `clear-cache` arguments: task names, or `.` with an optional `--hard`. */
export function parseClearTarget(command: string, args: readonly string[], usage = CLEAR_USAGE): ClearTarget {
  const { values, positionals } = parseCommandArgs(command, usage, args, { hard: { type: "boolean" } });
  if (positionals.length === 0) throw new UsageError(command, 'say what to clear: task names, or "." for all.', usage);
  if (positionals.includes(".")) {
    if (positionals.length > 1) throw new UsageError(command, '"." already means all results; give it alone.', usage);
    return { all: true, hard: values.hard === true };
  }
  if (values.hard) throw new UsageError(command, '--hard goes with "." only; named tasks are always cleared.', usage);
  return { tasks: positionals };
}

export async function listCacheCommand(ctx: CommandContext, args: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs("list-cache", "list-cache [--all]", args, { all: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError("list-cache", `unexpected argument "${positionals[0]}".`, "list-cache [--all]");
  ctx.print(await cacheTable(ctx.pipeline, values.all === true, ctx.c));
}

export async function clearCacheCommand(ctx: CommandContext, args: readonly string[]): Promise<void> {
  ctx.print(await clearCache(ctx.pipeline, parseClearTarget("clear-cache", args)));
}
