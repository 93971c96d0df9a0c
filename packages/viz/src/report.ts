import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { InvalidOptionError, type Pipeline, type RunSummary, type TaskStatus } from "@lp/core";
import { formatDuration } from "@lp/core/internal";
import { ReportWriteError } from "./errors.js";
import { esc, isoTime, stateClass } from "./html.js";
import { reportData } from "./report-data.js";
import { graphSvg } from "./report-graph.js";
import { reportCss, reportJs } from "./report-style.js";
import { taskTable } from "./report-table.js";
import { timelineSvg } from "./report-timeline.js";
import { totalsHtml } from "./report-totals.js";
import { VIZ_STATES } from "./state.js";

/** Options of `renderReport()` and `writeReport()`. */
export interface ReportOptions {
  /**
   * `pipeline.status()` taken with the run, for tasks the run left out (`only`) and for
   * the expiry policy of each stored result.
   */
  statuses?: TaskStatus[];
  /** The page's heading. @default `Run of <pipeline name>` */
  title?: string;
}

/** Nothing may be fetched: the report must render the same from a file, offline, forever. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function verdict(summary: RunSummary): string {
  const [cls, text] = summary.interrupted ? ["interrupted", "interrupted"] : summary.ok ? ["ok", "ok"] : ["failed", "failed"];
  return `<span class="verdict ${cls}" data-verdict="${cls}">${text}</span>`;
}

function legend(): string {
  return `<ul class="legend">${VIZ_STATES.map((s) => `<li class="${stateClass(s)}">${esc(s)}</li>`).join("")}</ul>`;
}

/**
 * One self-contained HTML page about a run: the task graph coloured by state, a timeline
 * of the tasks that ran (critical path highlighted, concurrency below), each task's cache
 * facts (hit or miss and why, size, expiry, duration, attempts, error) and the totals.
 * Styles, script and pictures are inline and a Content-Security-Policy forbids any fetch,
 * so the file opens from `file://`, offline, and can be attached to a ticket as it is.
 *
 * Graph nodes (`g.node`), timeline bars (`rect.bar`) and table rows (`tr`) carry
 * `data-task` and `data-state` (a `VizState`, or `none` for a task that neither the
 * run nor `statuses` covers) for tools and tests. The timeline has a bar for each task
 * whose processes ran: every executed task, and failed or cancelled tasks that had started.
 *
 * @param summary - what `pipeline.execute()` returned
 * @throws PipelineValidationError when the pipeline is not valid
 * @throws StateMismatchError when the summary or statuses come from another pipeline
 * @throws InvalidOptionError for a summary, statuses or title of the wrong kind
 * @example
 * const summary = await pipeline.execute();
 * await writeFile("run.html", renderReport(pipeline, summary));
 */
export function renderReport(pipeline: Pipeline, summary: RunSummary, options: ReportOptions = {}): string {
  const title = options.title ?? `Run of ${pipeline.name}`;
  if (typeof title !== "string") throw new InvalidOptionError("renderReport()", "title", "a string", title);
  const data = reportData(pipeline, summary, options.statuses);
  const meta = [
    `Pipeline <b>${esc(pipeline.name)}</b>`,
    `run <code>${esc(summary.runId)}</code>`,
    `started <time datetime="${esc(isoTime(summary.startedAt))}">${esc(isoTime(summary.startedAt))}</time>`,
    `took ${esc(formatDuration(summary.durationMs))}`,
    verdict(summary),
  ].join(" · ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="little-pipelines">
<title>${esc(title)}</title>
<style>
${reportCss()}
</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">${meta}</p>
</header>
<section id="totals">
<h2>Totals</h2>
${totalsHtml(data)}
</section>
<section id="graph">
<h2>Graph</h2>
${legend()}
<div class="scroll">
${graphSvg(data)}
</div>
</section>
<section id="timeline">
<h2>Timeline</h2>
<div class="scroll">
${timelineSvg(data)}
</div>
</section>
<section id="tasks">
<h2>Tasks</h2>
<div class="scroll">
${taskTable(data)}
</div>
</section>
<footer>Written by little-pipelines.</footer>
<script>
${reportJs()}
</script>
</body>
</html>
`;
}

/**
 * Renders the report and writes it to `path`, creating missing folders. The file is
 * written whole and then moved into place, so a reader never sees half a report.
 *
 * @param path - e.g. `reports/run.html`, relative to the working directory
 * @throws InvalidOptionError for an empty path, and whatever `renderReport()` throws
 * @throws ReportWriteError when the folder or file cannot be written
 * @example
 * await writeReport("reports/run.html", pipeline, await pipeline.execute());
 */
export async function writeReport(path: string, pipeline: Pipeline, summary: RunSummary, options: ReportOptions = {}): Promise<void> {
  if (typeof path !== "string" || path.trim() === "") throw new InvalidOptionError("writeReport()", "path", "a file path such as report.html", path);
  const html = renderReport(pipeline, summary, options);
  const target = resolve(path);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    // A report shows task names, errors and cache facts: private to the user, like the cache.
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await writeFile(temp, html, { encoding: "utf8", mode: 0o600 });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw new ReportWriteError(path, error);
  }
}
