// Peers table: the same no-op workloads through little-pipelines with the umbrella's defaults
// (cacache store, console piped, file logs), through the engine alone (logging off), and through
// pydoit (Debian's python3-doit), run interleaved (one of each, then again) so that the ratios
// hold on a noisy machine. Whole process, median of --runs; peak memory from GNU time.
//
//   pnpm build && node bench/peers.mjs [--runs 5] [--no-write] [--before <checkout>]
//
// Without `doit` on the PATH the pydoit columns say so and the rest is still measured.
// --before names another built checkout (an earlier version): its defaults run interleaved
// with ours, and a second table compares the two, by wall time and by CPU time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { doitArgs } from "./lib/doit.mjs";
import { beforeTableHead, fmt, median, runProcess } from "./lib/measure.mjs";

const { values: opts } = parseArgs({
  options: { runs: { type: "string", default: "5" }, "no-write": { type: "boolean", default: false }, before: { type: "string" } },
});
const beforeScenario = opts.before && join(opts.before, "bench", "scenarios", "defaults.mjs");
if (beforeScenario && !existsSync(beforeScenario)) throw new Error(`--before ${opts.before}: no ${beforeScenario}; give a built checkout of little-pipelines`);
const RUNS = Number(opts.runs);
const scratch = mkdtempSync(join(tmpdir(), "lp-peers-"));
const freshDir = () => mkdtempSync(join(scratch, "d-"));
const scenario = fileURLToPath(new URL("./scenarios/defaults.mjs", import.meta.url));
const doitVersion = (() => {
  const r = spawnSync("doit", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0].trim() : undefined;
})();

const ours = (mode, shape, n, home, phase, script = scenario, options = {}) =>
  runProcess(process.execPath, [script, mode, shape, n, home, phase], options);
// Node reads the file NODE_EXTRA_CA_CERTS names at every start (~35 ms for Debian's bundle on
// this machine). Where it is set, the empty start is also measured without it, as most machines run.
const { NODE_EXTRA_CA_CERTS: caCerts, ...plainEnv } = process.env;
const plain = { env: plainEnv };
const doit = (shape, n, dir) => runProcess("doit", doitArgs(shape, n, dir), { cwd: dir });

/** A workload: how to prepare a warm state (once per round) and run each contender. */
function workload(shape, n, phase) {
  return async () => {
    const homes = { defaults: freshDir(), engine: freshDir(), doit: freshDir(), before: freshDir() };
    if (phase === "warm") {
      if (beforeScenario) await ours("defaults", shape, n, homes.before, "cold", beforeScenario);
      await ours("defaults", shape, n, homes.defaults, "cold");
      await ours("engine", shape, n, homes.engine, "cold");
      if (doitVersion) await doit(shape, n, homes.doit);
    }
    const r = {
      before: beforeScenario ? await ours("defaults", shape, n, homes.before, phase, beforeScenario) : undefined,
      defaults: await ours("defaults", shape, n, homes.defaults, phase),
      engine: await ours("engine", shape, n, homes.engine, phase),
      doit: doitVersion ? await doit(shape, n, homes.doit) : undefined,
    };
    for (const dir of Object.values(homes)) rmSync(dir, { recursive: true, force: true });
    return r;
  };
}

/** Node alone (`node -e 0`): the floor under every row, in both columns of ours. */
function nodeAlone(options = {}) {
  return async () => {
    const r = await runProcess(process.execPath, ["-e", "0"], options);
    return { defaults: r, engine: r };
  };
}

/** The empty start without NODE_EXTRA_CA_CERTS; pydoit's start, which does not read it, beside it. */
function emptyPlain() {
  return async () => {
    const homes = { defaults: freshDir(), engine: freshDir(), doit: freshDir() };
    const r = {
      defaults: await ours("defaults", "empty", 0, homes.defaults, "cold", scenario, plain),
      engine: await ours("engine", "empty", 0, homes.engine, "cold", scenario, plain),
      doit: doitVersion ? await doit("empty", 0, homes.doit) : undefined,
    };
    for (const dir of Object.values(homes)) rmSync(dir, { recursive: true, force: true });
    return r;
  };
}

const WORKLOADS = [
  { label: "Node alone (`node -e 0`), for reference", run: nodeAlone() },
  ...(caCerts
    ? [
        { label: "Node alone, `NODE_EXTRA_CA_CERTS` unset", run: nodeAlone(plain) },
        { label: "empty start, `NODE_EXTRA_CA_CERTS` unset", run: emptyPlain(), target: 80 },
      ]
    : []),
  { label: "empty start (import + `new Pipeline`)", run: workload("empty", 0, "cold"), target: 80 },
  { label: "1,000 no-op chain, cold", run: workload("chain", 1000, "cold"), target: 200 },
  { label: "1,000 no-op chain, warm", run: workload("chain", 1000, "warm"), target: 120 },
  { label: "10,000 no-op chain, cold", run: workload("chain", 10000, "cold"), target: 600, memoryTarget: 120 },
  { label: "10,000 no-op chain, warm", run: workload("chain", 10000, "warm"), target: 350 },
  { label: "10,000 no-op fan-out, cold", run: workload("fan", 10000, "cold"), target: 600 },
  { label: "10,000 no-op fan-out, warm", run: workload("fan", 10000, "warm"), target: 350 },
];

const lines = [];
const out = (line = "") => {
  lines.push(line);
  console.log(line);
};
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : "–");

// The machine may be shared: the load average during the run goes next to the figures.
const loads = [loadavg()[0]];
const loadTimer = setInterval(() => loads.push(loadavg()[0]), 5000).unref();

try {
  // Rounds outside, workloads inside: every contender of a workload runs within seconds of the others.
  const samples = WORKLOADS.map(() => ({ defaults: [], engine: [], doit: [], before: [] }));
  for (let round = 0; round < RUNS; round++) {
    for (const [i, w] of WORKLOADS.entries()) {
      const r = await w.run();
      for (const k of ["defaults", "engine", "doit", "before"]) if (r[k]) samples[i][k].push(r[k]);
      process.stderr.write(`round ${round + 1}/${RUNS}: ${w.label}\n`);
    }
  }
  clearInterval(loadTimer);
  const m = (list, key) => median(list.map((x) => x[key]));
  const load = `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (median ${median(loads).toFixed(1)}) on the ${cpus().length} cores`;
  out(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${doitVersion ? `pydoit ${doitVersion}` : "pydoit not installed: its columns are empty (`apt-get install python3-doit`)"}; whole process, median of ${RUNS} interleaved runs, ms; ${load}.`,
  );
  out();
  out("| workload | defaults | engine alone | pydoit | defaults / pydoit | engine / pydoit | target (defaults) | met |");
  out("|---|---:|---:|---:|---:|---:|---:|---|");
  for (const [i, w] of WORKLOADS.entries()) {
    const s = samples[i];
    const d = m(s.defaults, "wall");
    const e = m(s.engine, "wall");
    const p = m(s.doit, "wall");
    out(
      w.target
        ? `| ${w.label} | ${fmt(d)} | ${fmt(e)} | ${fmt(p)} | ${ratio(d, p)} | ${ratio(e, p)} | ≤ ${w.target} | ${d <= w.target ? "yes" : "no"} |`
        : `| ${w.label} | ${fmt(d)} | ${fmt(e)} | – | – | – | – | – |`,
    );
    if (w.memoryTarget) {
      const dm = m(s.defaults, "rssMb");
      const em = m(s.engine, "rssMb");
      const pm = m(s.doit, "rssMb");
      out(
        `| peak memory, ${w.label.replace(/^10,000 no-op /, "10,000 ")}, MB | ${dm} | ${em} | ${pm ?? "–"} | ${ratio(dm, pm)} | ${ratio(em, pm)} | ≤ ${w.memoryTarget} | ${dm <= w.memoryTarget ? "yes" : "no"} |`,
      );
    }
  }
  if (beforeScenario) {
    beforeTableHead(out);
    for (const [i, w] of WORKLOADS.entries()) {
      if (!w.target || samples[i].before.length === 0) continue;
      const s = samples[i];
      const [bw, dw, bc, dc] = [m(s.before, "wall"), m(s.defaults, "wall"), m(s.before, "cpuMs"), m(s.defaults, "cpuMs")];
      out(`| ${w.label} | ${fmt(bw)} | ${fmt(dw)} | ${ratio(dw, bw)} | ${fmt(bc)} | ${fmt(dc)} | ${ratio(dc, bc)} |`);
      if (w.memoryTarget) out(`| peak memory, ${w.label.replace(/^10,000 no-op /, "10,000 ")}, MB | ${m(s.before, "rssMb")} | ${m(s.defaults, "rssMb")} | ${ratio(m(s.defaults, "rssMb"), m(s.before, "rssMb"))} | | | |`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (!opts["no-write"]) {
  const readme = new URL("./README.md", import.meta.url);
  const text = readFileSync(readme, "utf8");
  const [head, rest] = text.split("<!-- peers:start -->");
  const tail = rest?.split("<!-- peers:end -->")[1];
  if (tail === undefined) throw new Error("bench/README.md lacks the <!-- peers:start --> / <!-- peers:end --> markers");
  writeFileSync(readme, `${head}<!-- peers:start -->\n${lines.join("\n")}\n<!-- peers:end -->${tail}`);
}
