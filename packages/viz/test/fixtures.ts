import { Pipeline, type RunSummary, Task, silentLogger, task } from "@lp/core";

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Names that break naive exports: quotes, backslashes, brackets, HTML, Mermaid keywords, id clashes, non-Latin letters. */
export const ODD_NAMES = [
  "end",
  "a b",
  "a_b",
  "ops/daily",
  "données été",
  'say "hi"',
  "back\\slash\\",
  "br[ack]et {x} (y) |z|",
  "<b>bold</b> &amp; more &",
  "#quot; `tick`",
  "a-->b",
  "日本語 🚀",
] as const;

/** A chain through every odd name plus a few fan-ins, so edges between odd names are checked too. */
export function oddPipeline(): { pipeline: Pipeline; deps: Map<string, string[]> } {
  const deps = new Map<string, string[]>();
  ODD_NAMES.forEach((name, i) => {
    const d: string[] = [];
    if (i > 0) d.push(ODD_NAMES[i - 1]!);
    if (i > 2) d.push(ODD_NAMES[i - 3]!);
    deps.set(name, d);
  });
  const pipeline = new Pipeline("odd \"names\" \\ pipeline", { logger: silentLogger() });
  for (const [name, d] of deps) pipeline.add(new Task(name, { dependencies: d, run: () => name }));
  return { pipeline, deps };
}

/** Every dependency edge as `dependency -> dependent`, from the task definitions. */
export function expectedEdges(deps: ReadonlyMap<string, readonly string[]>): string[] {
  return [...deps].flatMap(([name, ds]) => ds.map((d) => `${d} -> ${name}`)).sort();
}

/** The classic diamond: D needs B and C, which both need A. */
export function diamond(): Pipeline {
  const a = task("A", { run: () => 1 });
  const b = task("B", { dependencies: [a], run: () => 2 });
  const c = task("C", { dependencies: [a], run: () => 3 });
  const d = task("D", { dependencies: [b, c], run: () => 4 });
  return new Pipeline("Diamond", { logger: silentLogger() }).add(d, c, b, a);
}

/** Task names of {@link mixedRun}, one per outcome of its second run. */
export const MIXED = {
  cached: "source data",
  executed: "clean/rows",
  downstream: 'summary "données"',
  failed: "broken <step>",
  upstreamFailed: "publish & <all>",
  skipped: "notify",
} as const;

/**
 * A real pipeline run twice, so that its second run has every common outcome: a cached
 * task, executed ones (one forced, one because its upstream changed), a failed task, one
 * that failed because of it and one skipped because of it.
 */
export async function mixedRun(): Promise<{ pipeline: Pipeline; first: RunSummary; second: RunSummary }> {
  let version = 0;
  const source = task(MIXED.cached, { run: async () => { await pause(15); return [1, 2, 3]; } });
  const clean = task(MIXED.executed, { dependencies: [source], run: async () => { await pause(30); return ++version; } });
  const downstream = task(MIXED.downstream, { dependencies: [clean], run: async () => { await pause(20); return { version }; } });
  const broken = task(MIXED.failed, {
    dependencies: [source],
    run: async () => {
      await pause(10);
      throw new Error("disk <full> & \"stuck\"");
    },
  });
  const publish = task(MIXED.upstreamFailed, { dependencies: [broken, downstream], run: () => "sent" });
  const notify = task(MIXED.skipped, { dependencies: [broken], ifUpstreamErrors: "skip", run: () => "done" });
  const pipeline = new Pipeline("Mixed <run>", { logger: silentLogger() }).add(source, clean, downstream, broken, publish, notify);
  const first = await pipeline.execute({ handleSigint: false });
  const second = await pipeline.execute({ forceTasks: [MIXED.executed], handleSigint: false });
  return { pipeline, first, second };
}
