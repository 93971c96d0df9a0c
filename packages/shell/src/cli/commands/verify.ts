import type { Executor, Pipeline } from "@lp/core";
import { colors, wantsColor } from "../../format/colors.js";
import { renderSummary } from "../../format/summary.js";
import { EXIT, line, type CliIO } from "../io.js";

/**
 * `lp cache verify <file>`: a run that reads every result it would use as cached and
 * checks it against its digest; the tasks whose result fails run again (on `executor`,
 * when given: a distributed run's workers).
 */
export async function verifyCache(pipeline: Pipeline, io: CliIO, executor?: Executor): Promise<number> {
  const summary = await pipeline.execute(executor ? { verify: true, executor } : { verify: true });
  const failed = summary.tasks.filter((t) => t.decision?.reason.kind === "unreadable").map((t) => t.name);
  const checked = summary.tasks.filter((t) => t.state === "cached").length + failed.length;
  line(io.stdout, renderSummary(summary, colors(wantsColor(io.stdout, io.env))));
  line(
    io.stdout,
    failed.length === 0
      ? `Verified ${checked} cached result${checked === 1 ? "" : "s"}: every one matches its digest.`
      : `Verified ${checked} cached result${checked === 1 ? "" : "s"}: ${failed.length} failed (${failed.join(", ")}) and ran again.`,
  );
  if (summary.interrupted) return EXIT.interrupted;
  return summary.ok ? EXIT.ok : EXIT.failed;
}
