import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, Pipeline, type RunSummary, Task, silentLogger } from "@lp/core";
import { ReportWriteError, StateMismatchError, renderReport, vizStates, writeReport } from "../src/index.js";
import { graphModel } from "../src/model.js";
import { layoutGraph } from "../src/report-layout.js";
import { tempDir } from "./helpers.js";
import { diamond, MIXED, mixedRun, ODD_NAMES, oddPipeline } from "./fixtures.js";

const decode = (s: string) => s.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));

/** `data-task` → `data-state` of every element matching the opening-tag pattern. */
function hooks(html: string, tag: string): [string, string][] {
  return [...html.matchAll(new RegExp(`<${tag}[^>]*? data-task="([^"]*)" data-state="([^"]*)"`, "g"))].map((m) => [decode(m[1]!), decode(m[2]!)]);
}

function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start, `section #${id}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf("</section>", start));
}

describe("renderReport", () => {
  it("is one page that needs nothing from outside", async () => {
    const { pipeline, second } = await mixedRun();
    const html = renderReport(pipeline, second);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|\ssrc=|\shref=|url\((?!#)|@import/i);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<style\b/g)).toHaveLength(1);
  });

  it("names the worker that ran each task of a distributed run, in the table and the timeline", async () => {
    const executor = {
      name: "remote",
      run: async () => ({ body: new Uint8Array(new TextEncoder().encode("1")), type: "number", empty: false, processes: [], ranOn: "node-7:<4242>" }),
    };
    const pipeline = new Pipeline("Remote", { logger: silentLogger() }).add(new Task("Far", { run: () => 1 }));
    const summary = await pipeline.execute({ executor });
    expect(summary.tasks[0]!.ranOn).toBe("node-7:<4242>");
    const html = renderReport(pipeline, summary);
    expect(decode(section(html, "tasks"))).toContain(`<div class="ran-on" title="the worker that ran it">on node-7:<4242></div>`);
    expect(decode(section(html, "timeline"))).toMatch(/<title>Far: executed, [^<]*, on node-7:<4242>/);
  });

  it("escapes task names, messages and the title", async () => {
    const evil = '</script><script>alert("x")</script>';
    const pipeline = new Pipeline("P", { logger: silentLogger() }).add(
      new Task(evil, {
        run: () => {
          throw new Error("<img src=x onerror=alert(1)>");
        },
      }),
    );
    const summary = await pipeline.execute({ handleSigint: false });
    const html = renderReport(pipeline, summary, { title: "<title> & co" });
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toContain("<img");
    expect(html).toContain("&#60;img src=x onerror=alert(1)&#62;");
    expect(html).toContain("<title>&#60;title&#62; &#38; co</title>");
    expect(hooks(html, "tr")).toEqual([[evil, "failed"]]);
  });

  it("lists every task with its state in the graph and the table", async () => {
    const { pipeline, second } = await mixedRun();
    const html = renderReport(pipeline, second);
    const expected = Object.fromEntries(vizStates(second));
    expect(Object.fromEntries(hooks(section(html, "graph"), "g"))).toEqual(expected);
    expect(Object.fromEntries(hooks(section(html, "tasks"), "tr"))).toEqual(expected);
    expect(hooks(section(html, "graph"), "g")).toHaveLength(pipeline.ntasks);
  });

  it("draws a timeline bar for each task whose processes ran, and only for those", async () => {
    const { pipeline, second } = await mixedRun();
    const bars = hooks(section(renderReport(pipeline, second), "timeline"), "rect");
    const ran = second.tasks.filter((t) => t.attempts > 0).map((t) => [t.name, t.state]);
    expect(bars.sort()).toEqual(ran.sort());
    expect(bars.filter(([, s]) => s === "executed").map(([n]) => n).sort()).toEqual([MIXED.downstream, MIXED.executed].sort());
  });

  it("marks the critical path in the graph, the timeline and the table", async () => {
    const { pipeline, second } = await mixedRun();
    expect(second.criticalPath.length).toBeGreaterThan(0);
    const html = renderReport(pipeline, second);
    const critical = (tag: string) =>
      [...html.matchAll(new RegExp(`<${tag} class="[^"]*\\bcritical\\b[^"]*" data-task="([^"]*)"`, "g"))].map((m) => decode(m[1]!)).sort();
    const path = [...second.criticalPath].sort();
    expect(critical("g")).toEqual(path);
    expect(critical("rect")).toEqual(path);
    expect([...html.matchAll(/<tr data-task="([^"]*)" data-state="[^"]*" class="critical">/g)].map((m) => decode(m[1]!)).sort()).toEqual(path);
  });

  it("states the cache facts of each task", async () => {
    const { pipeline, second } = await mixedRun();
    const rows = new Map(
      [...section(renderReport(pipeline, second), "tasks").matchAll(/<tr data-task="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [decode(m[1]!), m[2]!]),
    );
    const cached = rows.get(MIXED.cached)!;
    expect(cached).toContain(`<span class="hit">hit</span>`);
    expect(cached).toContain("cached result is fresh");
    expect(cached).toContain(`${second.tasks.find((t) => t.name === MIXED.cached)!.size} B`);
    expect(rows.get(MIXED.executed)).toContain(`<span class="miss">miss</span>`);
    expect(rows.get(MIXED.executed)).toContain(">forced<");
    expect(rows.get(MIXED.failed)).toContain("disk &#60;full&#62; &#38; &#34;stuck&#34;");
    expect(rows.get(MIXED.upstreamFailed)).toContain("LP_DEPENDENCY_FAILURE");
  });

  it("adds the totals of the run", async () => {
    const { pipeline, second } = await mixedRun();
    const totals = section(renderReport(pipeline, second), "totals");
    const value = (key: string) => totals.match(new RegExp(`data-total="${key}"><dt>[^<]*</dt><dd>([^<]*)</dd>`))?.[1];
    expect(value("total")).toBe("6");
    expect(value("executed")).toBe(String(second.totals.executed));
    expect(value("cached")).toBe(String(second.totals.cached));
    expect(value("failed")).toBe("1");
    expect(value("upstream-failed")).toBe("1");
    expect(value("skipped")).toBe("1");
  });

  it("shows tasks a partial run left out with their status, when statuses are given", async () => {
    const pipeline = diamond();
    const summary = await pipeline.execute({ only: "B", handleSigint: false });
    const without = Object.fromEntries(hooks(renderReport(pipeline, summary), "tr"));
    expect(without).toEqual({ A: "executed", B: "executed", C: "none", D: "none" });
    const withStatus = Object.fromEntries(hooks(renderReport(pipeline, summary, { statuses: await pipeline.status() }), "tr"));
    expect(withStatus).toEqual({ A: "executed", B: "executed", C: "not cached", D: "not cached" });
  });

  it("says so when no task ran", async () => {
    const pipeline = diamond();
    await pipeline.execute({ handleSigint: false });
    const again = await pipeline.execute({ handleSigint: false });
    const timeline = section(renderReport(pipeline, again), "timeline");
    expect(timeline).not.toContain('class="bar');
    expect(timeline).toContain("No task ran in this run");
  });

  it("rejects a summary or statuses of another pipeline and arguments of the wrong kind", async () => {
    const mixed = await mixedRun();
    const other = diamond();
    const summary = await other.execute({ handleSigint: false });
    expect(() => renderReport(other, mixed.second)).toThrow(StateMismatchError);
    expect(() => renderReport(other, mixed.second)).toThrow(
      `renderReport(): task "${mixed.second.tasks[0]!.name}" in the run summary is not in pipeline "Diamond". Pass the run summary of this pipeline.`,
    );
    const statuses = await mixed.pipeline.status();
    expect(() => renderReport(other, summary, { statuses })).toThrow(`task "${statuses[0]!.task}" in the statuses is not in pipeline "Diamond"`);
    expect(() => renderReport(other, {} as RunSummary)).toThrow(InvalidOptionError);
    expect(() => renderReport(other, {} as RunSummary)).toThrow("expected `summary` to be the RunSummary returned by pipeline.execute()");
    expect(() => renderReport(other, summary, { title: 42 as unknown as string })).toThrow("expected `title` to be a string");
    expect(() => renderReport(other, summary, { statuses: {} as [] })).toThrow("expected `statuses` to be the array from pipeline.status()");
  });
});

describe("writeReport", () => {
  it("creates missing folders and writes the rendered page", async () => {
    const pipeline = diamond();
    const summary = await pipeline.execute({ handleSigint: false });
    const dir = tempDir("lp-report-");
    const path = join(dir, "deep", "er", "run.html");
    await writeReport(path, pipeline, summary, { title: "Nightly" });
    expect(readFileSync(path, "utf8")).toBe(renderReport(pipeline, summary, { title: "Nightly" }));
    expect(readdirSync(join(dir, "deep", "er"))).toEqual(["run.html"]);
  });

  it("fails with a clear error when the folder cannot be made, leaving nothing behind", async () => {
    const pipeline = diamond();
    const summary = await pipeline.execute({ handleSigint: false });
    const dir = tempDir("lp-report-");
    writeFileSync(join(dir, "file"), "not a folder");
    const path = join(dir, "file", "run.html");
    const error = await writeReport(path, pipeline, summary).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportWriteError);
    expect((error as ReportWriteError).code).toBe("LP_REPORT_WRITE");
    expect((error as ReportWriteError).message).toContain(`writeReport(): could not write the report to "${path}"`);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual(["file"]);
    await expect(writeReport("", pipeline, summary)).rejects.toThrow(InvalidOptionError);
  });
});

describe("report graph layout", () => {
  it("puts each task right of what it needs, one box per slot, long edges through a slot in every column they cross", () => {
    const { pipeline, deps } = oddPipeline();
    const layout = layoutGraph(graphModel(pipeline));
    const column = new Map(layout.columns.flatMap((col, c) => col.map((n): [string, number] => [n, c])));
    for (const [name, ds] of deps) {
      for (const d of ds) {
        expect(column.get(d)!).toBeLessThan(column.get(name)!);
        const points = layout.waypoints.get(`${d}\u0000${name}`)!;
        expect(points.map((p) => column.get(p))).toEqual(Array.from({ length: column.get(name)! - column.get(d)! - 1 }, (_, i) => column.get(d)! + 1 + i));
      }
    }
    expect(layout.columns.filter((c) => c.some((n) => deps.has(n))).length).toBe(ODD_NAMES.length);
    for (const col of layout.columns) {
      const rows = col.map((n) => layout.row.get(n));
      expect(new Set(rows).size, "two boxes share a slot").toBe(rows.length);
    }
  });
});
