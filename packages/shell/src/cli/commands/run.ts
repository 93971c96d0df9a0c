import { resolve } from "node:path";
import type { ExecuteOptions, Executor } from "@lp/core";
import { threadsExecutor } from "@lp/threads";
import { writeReport } from "@lp/viz";
import { colors, wantsColor } from "../../format/colors.js";
import { renderSummary } from "../../format/summary.js";
import { UsageError } from "../../errors.js";
import { commaList } from "../../shell/args.js";
import { parseConcurrency } from "../../shell/concurrency.js";
import { LevelControl } from "../../shell/levels.js";
import { EXIT, diagnosticsStream, line, type CliIO } from "../io.js";
import { printJson, runJson } from "../json.js";
import { loadDistributed, useSharedStore } from "../distributed.js";
import { loadForCommand } from "../load.js";

/** Options of `lp run`, as parsed. */
export interface RunFlags {
  force?: boolean;
  skip?: string[];
  forceTask?: string[];
  only?: string;
  deps?: boolean;
  concurrency?: string;
  quiet?: boolean;
  report?: string;
  json?: boolean;
  /** From `--threads [N]`: a thread count, or true for one per core. */
  threads?: number | true;
  /** `--redis URL`: run on workers through this Redis, with results kept there. */
  redis?: string;
}

/** `lp run [file]`: runs the pipeline; 0 when every task succeeded or was cached. */
export async function runCommand(file: string | undefined, flags: RunFlags, io: CliIO): Promise<number> {
  if (flags.deps === false && flags.only === undefined) throw new UsageError("lp run", "--no-deps goes with --only <task>.");
  const concurrency = parseConcurrency("lp run", "lp run [file] --concurrency N", flags.concurrency);
  const json = flags.json === true;
  const diagnostics = diagnosticsStream(io, json);
  if (flags.threads !== undefined && flags.redis !== undefined) {
    throw new UsageError("lp run", "--threads and --redis do not go together: give the workers threads (lp worker [file] --redis URL --threads).");
  }
  // Checked before the pipeline loads: a missing @lp/bullmq is told before anything else.
  if (flags.redis !== undefined) await loadDistributed("lp run");
  const pipeline = await loadForCommand(file, io, diagnostics === io.stderr);
  let executor: Executor | undefined;
  if (flags.redis !== undefined) {
    // Results go to the store the workers read; a wrong URL fails here, before the run.
    const bullmq = await useSharedStore(pipeline, flags.redis, "lp run")
      .then((distributed) => distributed.bullmqExecutor({ url: flags.redis! }))
      .catch(async (error: unknown) => {
        await pipeline.close();
        throw error;
      });
    executor = bullmq;
    await bullmq.connect(pipeline.name).catch(async (error: unknown) => {
      await bullmq.close();
      await pipeline.close();
      throw error;
    });
  } else if (flags.threads !== undefined) executor = threadsExecutor(flags.threads === true ? {} : { threads: flags.threads });
  try {
    const options: ExecuteOptions = {
      force: flags.force === true,
      skipTasks: commaList(flags.skip),
      forceTasks: commaList(flags.forceTask),
      withDependencies: flags.deps !== false,
    };
    if (flags.only !== undefined) options.only = flags.only;
    if (concurrency !== undefined) options.concurrency = concurrency;
    if (executor) options.executor = executor;
    const report = flags.report === undefined ? undefined : resolve(io.cwd, flags.report);
    if (flags.quiet) new LevelControl(pipeline).set("silent");
    const summary = await pipeline.execute(options);
    if (report !== undefined) await writeReport(report, pipeline, summary);
    if (json) printJson(io.stdout, runJson(summary, report));
    // On a terminal the logger's closing line already said it; elsewhere stdout gets it.
    else if (flags.quiet || diagnostics !== io.stdout) line(io.stdout, renderSummary(summary, colors(wantsColor(io.stdout, io.env))));
    if (report !== undefined && !json) line(io.stdout, `Report written to ${flags.report}.`);
    if (summary.interrupted) return EXIT.interrupted;
    return summary.ok ? EXIT.ok : EXIT.failed;
  } finally {
    await executor?.close?.();
    await pipeline.close();
  }
}
