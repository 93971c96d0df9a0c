import { resolve } from "node:path";
import type { ExecuteOptions } from "@lp/core";
import { threadsExecutor } from "@lp/threads";
import { writeReport } from "@lp/viz";
import { colors, wantsColor } from "../../format/colors.js";
import { renderSummary } from "../../format/summary.js";
import { UsageError } from "../../errors.js";
import { loadPipeline } from "../../load/load-pipeline.js";
import { commaList } from "../../shell/args.js";
import { parseConcurrency } from "../../shell/commands/run.js";
import { LevelControl } from "../../shell/levels.js";
import { parseCommand } from "../args.js";
import { takeThreadsFlag } from "../threads-flag.js";
import { EXIT, line, type CliIO } from "../io.js";
import { USAGE } from "../usage.js";

/** `lp run <file>`: runs the pipeline; 0 when every task succeeded or was cached. */
export async function runCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { rest: args, threads } = takeThreadsFlag(argv);
  const { values, file, help } = parseCommand("run", args, {
    force: { type: "boolean" },
    skip: { type: "string", multiple: true },
    "force-task": { type: "string", multiple: true },
    only: { type: "string" },
    "no-deps": { type: "boolean" },
    concurrency: { type: "string" },
    quiet: { type: "boolean", short: "q" },
    report: { type: "string" },
  });
  if (help) return line(io.stdout, USAGE.run), EXIT.ok;
  if (values["no-deps"] && values.only === undefined) throw new UsageError("lp run", "--no-deps goes with --only <task>.");
  const concurrency = parseConcurrency("lp run", "lp run <file> --concurrency N", values.concurrency);
  const pipeline = await loadPipeline(file, io.cwd);
  const executor = threads === undefined ? undefined : threadsExecutor(threads === true ? {} : { threads });
  try {
    const options: ExecuteOptions = {
      force: values.force === true,
      skipTasks: commaList(values.skip),
      forceTasks: commaList(values["force-task"]),
      withDependencies: values["no-deps"] !== true,
    };
    if (values.only !== undefined) options.only = values.only;
    if (concurrency !== undefined) options.concurrency = concurrency;
    if (executor) options.executor = executor;
    if (values.quiet) new LevelControl(pipeline).set("silent");
    const summary = await pipeline.execute(options);
    if (values.report !== undefined) await writeReport(resolve(io.cwd, values.report), pipeline, summary);
    line(io.stdout, renderSummary(summary, colors(wantsColor(io.stdout, io.env))));
    if (values.report !== undefined) line(io.stdout, `Report written to ${values.report}.`);
    if (summary.interrupted) return EXIT.interrupted;
    return summary.ok ? EXIT.ok : EXIT.failed;
  } finally {
    await executor?.close();
    await pipeline.close();
  }
}
