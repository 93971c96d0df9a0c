import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, Pipeline, PipelineValidationError, Task } from "@lp/core";
import { StateMismatchError, type VizState, toDot, toMermaid, vizStates } from "../src/index.js";
import { diamond, expectedEdges, MIXED, mixedRun, ODD_NAMES, oddPipeline } from "./fixtures.js";

interface ParsedGraph {
  header: string;
  /** Node label (decoded) by node id. */
  nodes: Map<string, string>;
  /** `from -> to`, by decoded label. */
  edges: string[];
  /** Labels of the nodes in each class / with each fill colour. */
  classes: Map<string, string[]>;
  styles: Map<string, string>;
}

/** Reads Mermaid flowchart text back; any line it does not recognise fails the test. */
function parseMermaid(text: string): ParsedGraph {
  const [header = "", ...lines] = text.trimEnd().split("\n");
  const nodes = new Map<string, string>();
  const edgeIds: [string, string][] = [];
  const classIds = new Map<string, string[]>();
  const styles = new Map<string, string>();
  for (const line of lines) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^ {2}(\w+)\["([^"]*)"\]$/))) {
      expect(nodes.has(m[1]!), `node id ${m[1]} declared twice`).toBe(false);
      nodes.set(m[1]!, m[2]!.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))));
    } else if ((m = line.match(/^ {2}(\w+) --> (\w+)$/))) edgeIds.push([m[1]!, m[2]!]);
    else if ((m = line.match(/^ {2}classDef (\w+) (\S.*)$/))) styles.set(m[1]!, m[2]!);
    else if ((m = line.match(/^ {2}class ([\w,]+) (\w+)$/))) classIds.set(m[2]!, m[1]!.split(","));
    else throw new Error(`unexpected Mermaid line: ${JSON.stringify(line)}`);
  }
  const label = (id: string) => {
    const l = nodes.get(id);
    if (l === undefined) throw new Error(`edge or class names undeclared node ${id}`);
    return l;
  };
  return {
    header,
    nodes,
    edges: edgeIds.map(([a, b]) => `${label(a)} -> ${label(b)}`).sort(),
    classes: new Map([...classIds].map(([cls, ids]) => [cls, ids.map(label).sort()])),
    styles,
  };
}

const DOT_STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
const unquote = (s: string) => s.replace(/\\(.)/g, "$1");
const undoLabel = (s: string) => unquote(s).replace(/&amp;/g, "&");

/** Reads the DOT text back: node ids, labels, attributes and edges. */
function parseDot(text: string) {
  const lines = text.trimEnd().split("\n");
  expect(lines[0]).toMatch(new RegExp(`^digraph ${DOT_STRING} \\{$`));
  expect(lines.at(-1)).toBe("}");
  const nodes = new Map<string, Record<string, string>>();
  const edges: string[] = [];
  for (const line of lines.slice(1, -1)) {
    let m: RegExpMatchArray | null;
    if (/^ {2}(rankdir|node|edge)\b/.test(line)) continue;
    if ((m = line.match(new RegExp(`^  ${DOT_STRING} -> ${DOT_STRING};$`)))) edges.push(`${unquote(m[1]!)} -> ${unquote(m[2]!)}`);
    else if ((m = line.match(new RegExp(`^  ${DOT_STRING} \\[(.*)\\];$`)))) {
      const attrs: Record<string, string> = {};
      for (const a of m[2]!.matchAll(new RegExp(`(\\w+)=${DOT_STRING}`, "g"))) attrs[a[1]!] = a[2]!;
      nodes.set(unquote(m[1]!), attrs);
    } else throw new Error(`unexpected DOT line: ${JSON.stringify(line)}`);
  }
  return { nodes, edges: edges.sort() };
}

function hasGraphviz(): boolean {
  return spawnSync("dot", ["-V"], { stdio: "ignore" }).status === 0;
}

describe("toMermaid", () => {
  it("has every task once and exactly the dependency edges, even for awkward names", () => {
    const { pipeline, deps } = oddPipeline();
    const parsed = parseMermaid(toMermaid(pipeline));
    expect(parsed.header).toBe("flowchart LR");
    expect([...parsed.nodes.values()].sort()).toEqual([...ODD_NAMES].sort());
    expect(parsed.edges).toEqual(expectedEdges(deps));
    for (const id of parsed.nodes.keys()) expect(id).toMatch(/^t_[A-Za-z0-9_]+$/);
    expect(parsed.classes.size).toBe(0);
  });

  it("keeps quotes, entities, Markdown and HTML out of labels", () => {
    const text = toMermaid(oddPipeline().pipeline);
    const labels = [...text.matchAll(/\["([^\n]*)"\]/g)].map((m) => m[1]!);
    expect(labels).toHaveLength(ODD_NAMES.length);
    for (const l of labels) expect(l).not.toMatch(/["<>`&{}[\]|]|#(?!\d+;)/);
  });

  it("assigns one class per state, styled with the state's colours", async () => {
    const { pipeline, second } = await mixedRun();
    const states = vizStates(second);
    const parsed = parseMermaid(toMermaid(pipeline, states, { direction: "TD" }));
    expect(parsed.header).toBe("flowchart TD");
    const expected: Record<string, string[]> = {
      cached: [MIXED.cached],
      executed: [MIXED.downstream, MIXED.executed].sort(),
      failed: [MIXED.failed],
      upstreamFailed: [MIXED.upstreamFailed],
      skipped: [MIXED.skipped],
    };
    expect(Object.fromEntries(parsed.classes)).toEqual(expected);
    expect(parsed.styles.get("failed")).toContain("fill:#ffcdd2");
    expect(parsed.styles.get("skipped")).toContain("stroke-dasharray");
    expect([...parsed.styles.keys()].sort()).toEqual(Object.keys(expected).sort());
  });

  it("colours only the tasks a partial run covered", async () => {
    const pipeline = diamond();
    const summary = await pipeline.execute({ only: "B", handleSigint: false });
    const parsed = parseMermaid(toMermaid(pipeline, vizStates(summary)));
    expect(parsed.classes.get("executed")).toEqual(["A", "B"]);
    expect(parsed.nodes.size).toBe(4);
  });

  it("gives distinct, valid ids to names that look alike", () => {
    const p = new Pipeline("P");
    for (const n of ["a b", "a_b", "a/b", "t_a_b", "a_b_2"]) p.add(new Task(n, { run: () => 1 }));
    const ids = [...parseMermaid(toMermaid(p)).nodes.keys()];
    expect(new Set(ids).size).toBe(5);
  });

  it("rejects states of another pipeline, unknown states and a bad direction", () => {
    const pipeline = diamond();
    const error = (() => {
      try {
        toMermaid(pipeline, new Map([["Bx", "cached"]]));
      } catch (e) {
        return e;
      }
    })() as StateMismatchError;
    expect(error).toBeInstanceOf(StateMismatchError);
    expect(error.code).toBe("LP_UNKNOWN_TASK");
    expect(error.message).toBe(
      'toMermaid(): task "Bx" in the states is not in pipeline "Diamond". Did you mean "B"? Pass the states of this pipeline.',
    );
    expect(() => toMermaid(pipeline, new Map([["A", "done" as VizState]]))).toThrow(InvalidOptionError);
    expect(() => toMermaid(pipeline, new Map([["A", "done" as VizState]]))).toThrow('`states.get("A")` to be one of "executed"');
    expect(() => toMermaid(pipeline, { A: "cached" } as unknown as Map<string, VizState>)).toThrow("a Map from task name to state");
    expect(() => toMermaid(pipeline, undefined, { direction: "RL" as "LR" })).toThrow('toMermaid(): expected `direction` to be "LR" or "TD", got "RL".');
  });

  it("refuses an invalid pipeline with the validation error", () => {
    const p = new Pipeline("Broken").add(new Task("A", { dependencies: ["Nope"], run: () => 1 }));
    expect(() => toMermaid(p)).toThrow(PipelineValidationError);
    expect(() => toDot(p)).toThrow(PipelineValidationError);
  });
});

describe("toDot", () => {
  it("has every task once and exactly the dependency edges, even for awkward names", () => {
    const { pipeline, deps } = oddPipeline();
    const parsed = parseDot(toDot(pipeline));
    expect([...parsed.nodes.keys()].sort()).toEqual([...ODD_NAMES].sort());
    for (const [id, attrs] of parsed.nodes) expect(undoLabel(attrs.label!)).toBe(id);
    expect(parsed.edges).toEqual(expectedEdges(deps));
  });

  it("fills each task with its state's colour and marks the state as a class", async () => {
    const { pipeline, second } = await mixedRun();
    const parsed = parseDot(toDot(pipeline, vizStates(second), { direction: "TD" }));
    expect(toDot(pipeline, undefined, { direction: "TD" })).toContain("rankdir=TB;");
    const fills: Record<string, string> = { cached: "#bbdefb", executed: "#c8e6c9", failed: "#ffcdd2", "upstream-failed": "#ffe0b2", skipped: "#eeeeee" };
    for (const record of second.tasks) {
      const attrs = parsed.nodes.get(record.name)!;
      expect(attrs.fillcolor, record.name).toBe(fills[record.state]);
      expect(undoLabel(attrs.tooltip!)).toBe(`${record.name}: ${record.state}`);
    }
    expect(parsed.nodes.get(MIXED.failed)!.class).toBe("failed");
    expect(parsed.nodes.get(MIXED.skipped)!.style).toBe("rounded,filled,dashed");
  });

  it.skipIf(!hasGraphviz())("is read by Graphviz with every name and edge intact (skipped when `dot` is not installed)", () => {
    const { pipeline, deps } = oddPipeline();
    const states = new Map<string, VizState>(ODD_NAMES.map((n, i) => [n, i % 2 ? "cached" : "outdated"]));
    const run = spawnSync("dot", ["-Tjson"], { input: toDot(pipeline, states), encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const graph = JSON.parse(run.stdout) as {
      name: string;
      objects: { _ldraw_?: { op: string; text?: string }[]; fillcolor?: string }[];
      edges: { tail: number; head: number }[];
    };
    expect(graph.name).toBe('odd "names" \\\\ pipeline');
    // The text Graphviz actually draws for each node must be the task's name.
    const drawn = graph.objects.map((o) => (o._ldraw_ ?? []).filter((op) => op.op === "T").map((op) => op.text).join(""));
    expect([...drawn].sort()).toEqual([...ODD_NAMES].sort());
    expect(graph.edges.map((e) => `${drawn[e.tail]} -> ${drawn[e.head]}`).sort()).toEqual(expectedEdges(deps));
    graph.objects.forEach((o, i) => expect(o.fillcolor, drawn[i]).toBe(states.get(drawn[i]!) === "cached" ? "#bbdefb" : "#fff59d"));
  });
});
