import { colors, wantsColor } from "../../format/colors.js";
import { UsageError } from "../../errors.js";
import { loadPipeline } from "../../load/load-pipeline.js";
import { commaList } from "../../shell/args.js";
import { cacheTable, clearCache, pruneCache } from "../../shell/commands/cache.js";
import { parseCommand } from "../args.js";
import { EXIT, line, type CliIO } from "../io.js";
import { verifyCache } from "./verify.js";
import { USAGE } from "../usage.js";

const ACTIONS = ["ls", "clear", "prune", "verify"] as const;

/** `lp cache ls|clear|prune|verify <file>`: look at, tidy or check the stored results. */
export async function cacheCommand(args: readonly string[], io: CliIO): Promise<number> {
  const [action, ...rest] = args;
  if (action === "--help" || action === "-h") return line(io.stdout, USAGE.cache), EXIT.ok;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    const got = action === undefined ? "nothing" : `"${action}"`;
    throw new UsageError("lp cache", `expected ls, clear, prune or verify, got ${got}. Run "lp cache --help" for usage.`);
  }
  const { values, file, help } = parseCommand(`cache ${action}`, rest, {
    all: { type: "boolean" },
    task: { type: "string", multiple: true },
    hard: { type: "boolean" },
  });
  if (help) return line(io.stdout, USAGE.cache), EXIT.ok;
  const allowed: Record<string, readonly string[]> = { ls: ["all"], clear: ["task", "hard"], prune: [], verify: [] };
  const wrong = ["all", "task", "hard"].find((o) => (values as Record<string, unknown>)[o] !== undefined && !allowed[action!]!.includes(o));
  if (wrong) throw new UsageError(`lp cache ${action}`, `--${wrong} does not apply here. Run "lp cache --help" for usage.`);
  const tasks = commaList(values.task);
  if (tasks.length > 0 && values.hard) throw new UsageError("lp cache clear", "--hard clears everything; leave out --task, or --hard.");
  const pipeline = await loadPipeline(file, io.cwd);
  try {
    if (action === "ls") line(io.stdout, await cacheTable(pipeline, values.all === true, colors(wantsColor(io.stdout, io.env))));
    else if (action === "prune") line(io.stdout, await pruneCache(pipeline));
    else if (action === "verify") return await verifyCache(pipeline, io);
    else line(io.stdout, await clearCache(pipeline, tasks.length > 0 ? { tasks } : { all: true, hard: values.hard === true }));
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
