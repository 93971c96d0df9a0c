import { colors, wantsColor } from "../../format/colors.js";
import { explainMissingResults } from "../../format/no-result.js";
import { renderStatus } from "../../format/status.js";
import { EXIT, line, type CliIO } from "../io.js";
import { printJson, statusJson } from "../json.js";
import { useSharedStore } from "../distributed.js";
import { loadForCommand } from "../load.js";

/** Options of `lp status`, as parsed. */
export interface StatusFlags {
  json?: boolean;
  exitCode?: boolean;
  /** `--redis URL`: the freshness of the results distributed runs keep in that Redis. */
  redis?: string;
}

/**
 * `lp status [file]`: what a run would do for each task, and why. Exits 1 when the store
 * cannot be opened or a task's state cannot be decided; with `--exit-code`, also when
 * something would run (like `git diff --exit-code`).
 */
export async function statusCommand(file: string | undefined, flags: StatusFlags, io: CliIO): Promise<number> {
  const pipeline = await loadForCommand(file, io, true);
  try {
    // A store that cannot be opened is an error, not "everything would run".
    if (flags.redis !== undefined) await useSharedStore(pipeline, flags.redis, "lp status");
    else await pipeline.store.open?.();
    const statuses = explainMissingResults(pipeline, await pipeline.status(), (task) => `lp logs ${task}`);
    if (flags.json) printJson(io.stdout, statusJson(pipeline, statuses));
    else {
      line(io.stdout, `Pipeline ${pipeline.name}:`);
      line(io.stdout, renderStatus(statuses, colors(wantsColor(io.stdout, io.env))));
    }
    const undecided = statuses.filter((s) => s.decision.reason.kind === "undecidable");
    if (undecided.length > 0) {
      line(io.stderr, `lp status: could not decide ${undecided.map((s) => `${s.task} (${s.decision.text})`).join(", ")}.`);
      return EXIT.failed;
    }
    return flags.exitCode && statuses.some((s) => s.decision.run) ? EXIT.failed : EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
