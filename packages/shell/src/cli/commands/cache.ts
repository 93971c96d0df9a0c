import { branchOwner, resultsSize } from "@lp/core";
import { colors, wantsColor } from "../../format/colors.js";
import { UsageError } from "../../errors.js";
import { commaList } from "../../shell/args.js";
import { cacheTable, clearCache, pruneCache } from "../../actions/cache.js";
import { EXIT, line, type CliIO } from "../io.js";
import { cacheJson, printJson } from "../json.js";
import { verifyCache } from "./verify.js";
import { useSharedStore } from "../distributed.js";
import { loadForCommand } from "../load.js";

/** `lp cache ls [file] [--all] [--json] [--redis URL]`: the stored results. */
export async function cacheLsCommand(file: string | undefined, flags: { all?: boolean; json?: boolean; redis?: string }, io: CliIO): Promise<number> {
  const pipeline = await loadForCommand(file, io, true);
  try {
    if (flags.redis !== undefined) await useSharedStore(pipeline, flags.redis, "lp cache ls");
    if (flags.json) {
      const tasks = new Set(pipeline.tasks.map((t) => t.name));
      const entries = (await pipeline.store.list()).filter((m) => flags.all || tasks.has(branchOwner(m.key) ?? m.key));
      printJson(io.stdout, cacheJson(pipeline, entries, await resultsSize(pipeline.store)));
    } else line(io.stdout, await cacheTable(pipeline, flags.all === true, colors(wantsColor(io.stdout, io.env))));
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}

/** `lp cache clear [file] [--task T]... [--hard]`. */
export async function cacheClearCommand(file: string | undefined, flags: { task?: string[]; hard?: boolean; redis?: string }, io: CliIO): Promise<number> {
  const tasks = commaList(flags.task);
  if (tasks.length > 0 && flags.hard) throw new UsageError("lp cache clear", "--hard clears everything; leave out --task, or --hard.");
  const pipeline = await loadForCommand(file, io, true);
  try {
    if (flags.redis !== undefined) await useSharedStore(pipeline, flags.redis, "lp cache clear");
    line(io.stdout, await clearCache(pipeline, tasks.length > 0 ? { tasks } : { all: true, hard: flags.hard === true }));
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}

/** `lp cache prune [file]`: removes expired results. */
export async function cachePruneCommand(file: string | undefined, flags: { redis?: string }, io: CliIO): Promise<number> {
  const pipeline = await loadForCommand(file, io, true);
  try {
    if (flags.redis !== undefined) await useSharedStore(pipeline, flags.redis, "lp cache prune");
    line(io.stdout, await pruneCache(pipeline));
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}

/** `lp cache verify [file]`: reads every result a run would use as cached and checks it against its digest. */
export async function cacheVerifyCommand(file: string | undefined, flags: { redis?: string }, io: CliIO): Promise<number> {
  const pipeline = await loadForCommand(file, io, true);
  try {
    if (flags.redis === undefined) return await verifyCache(pipeline, io);
    // Tasks whose shared result fails run again where `lp run --redis` runs them: on the workers.
    const distributed = await useSharedStore(pipeline, flags.redis, "lp cache verify");
    const executor = distributed.bullmqExecutor({ url: flags.redis });
    try {
      await executor.connect(pipeline.name);
      return await verifyCache(pipeline, io, executor);
    } finally {
      await executor.close();
    }
  } finally {
    await pipeline.close();
  }
}
