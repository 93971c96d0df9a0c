// Big results with the umbrella's defaults: 1,000,000 small records and a 100 MB Buffer,
// written and read back in one process, and read back in a new one; the default serializer
// (MessagePack, raw bytes for a Buffer) against the v8 serializer, the former default, run
// interleaved (one of each, then again). Whole process, median of --runs.
//
//   pnpm build && node bench/data.mjs [--runs 5] [--no-write] [--before <checkout>] [--no-floor] [--no-phases] [--realtime]
//
// The floors (scenarios/data-floor.mjs) do the same work with bare Node and no library code,
// once as the least a crash-safe store must do and once with no safety at all; they run in
// the same rounds, and a table gives ours − floor. --no-floor leaves them out. One more process
// a round runs our records row with bench/lib/phase-probe.mjs loaded, for a table of where its
// time goes; --no-phases leaves it out.
//
// --before names another built checkout (an earlier version): its defaults run interleaved in
// the same rounds, and a table compares wall and CPU time (user + system) of each process.
// --realtime runs each scenario process at real-time priority (`chrt -f 10`, as root): on a
// machine busy with other work, its figures come close to those of a quiet one.
//
// Figures go to stdout and, unless --no-write, into bench/README.md between the data markers.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { floorTables, phaseTable } from "./lib/floor-table.mjs";
import { beforeTableHead, fmt, medians, runProcess } from "./lib/measure.mjs";

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "no-write": { type: "boolean", default: false },
    before: { type: "string" },
    realtime: { type: "boolean", default: false },
    "no-floor": { type: "boolean", default: false },
    "no-phases": { type: "boolean", default: false },
  },
});
const scenario = fileURLToPath(new URL("./scenarios/data.mjs", import.meta.url));
const probe = fileURLToPath(new URL("./lib/phase-probe.mjs", import.meta.url));
const floorScenario = !opts["no-floor"] && fileURLToPath(new URL("./scenarios/data-floor.mjs", import.meta.url));
const beforeScenario = opts.before && join(opts.before, "bench", "scenarios", "data.mjs");
if (beforeScenario && !existsSync(beforeScenario)) throw new Error(`--before ${opts.before}: no ${beforeScenario}; give a built checkout of little-pipelines`);
const RUNS = Number(opts.runs);
const scratch = mkdtempSync(join(tmpdir(), "lp-data-"));
const lines = [];
const out = (line = "") => {
  lines.push(line);
  console.log(line);
};

/** A scenario process, measured whole (wall and CPU time), with the figures it printed. */
async function scenarioRun(script, args) {
  const { wall, cpuMs, out } = opts.realtime
    ? await runProcess("chrt", ["-f", "10", process.execPath, script, ...args])
    : await runProcess(process.execPath, [script, ...args]);
  return { wall, cpuMs, ...JSON.parse(out.trim().split("\n").at(-1)) };
}

/** Our records row in a process with the phase probe loaded: its phases (bench/lib/phase-probe.mjs), by name. */
async function probed(kind) {
  const home = mkdtempSync(join(scratch, "h-"));
  const file = join(scratch, "phases.json");
  spawnSync("sync");
  const { wall } = await runProcess(process.execPath, ["--import", probe, scenario, kind, "write-read", home, "default"], { env: { ...process.env, LP_PHASES_OUT: file } });
  const { breakdown } = JSON.parse(readFileSync(file, "utf8"));
  rmSync(home, { recursive: true, force: true });
  return { wall, ...Object.fromEntries(breakdown.flatMap((p) => [[p.name, p.ms], [`gc:${p.name}`, p.gcMs]])) };
}

/** One write + read back in a process, then a read in a new process, on a fresh home. */
async function pair(kind, serializer, script = scenario) {
  const home = mkdtempSync(join(scratch, "h-"));
  spawnSync("sync"); // the previous case's write-back must not land on this one
  const w = await scenarioRun(script, [kind, "write-read", home, serializer]);
  const r = await scenarioRun(script, [kind, "read", home, serializer]);
  rmSync(home, { recursive: true, force: true });
  return { both: w.wall, bothCpu: w.cpuMs, run: w.run, readSame: w.read, read: r.wall, readCpu: r.cpuMs, readInside: r.read, ...phasesOf(w, "phase."), ...phasesOf(r, "readPhase.") };
}

/** The phases a floor process timed inside itself (ms), each as `<prefix><name>`. */
const phasesOf = (figures, prefix) =>
  Object.fromEntries(Object.entries(figures).filter(([k, v]) => typeof v === "number" && !["wall", "cpuMs", "ms", "run", "read", "rssMb"].includes(k)).map(([k, v]) => [prefix + k, v]));

const cases = {
  records: () => pair("records", "default"),
  recordsV8: () => pair("records", "v8"),
  buffer: () => pair("buffer", "default"),
  bufferV8: () => pair("buffer", "v8"),
  ...(beforeScenario && {
    recordsBefore: () => pair("records", "default", beforeScenario),
    bufferBefore: () => pair("buffer", "default", beforeScenario),
  }),
  ...(!opts["no-phases"] && { recordsPhases: () => probed("records") }),
  ...(floorScenario && {
    recordsFloor: () => pair("records", "safe", floorScenario),
    recordsBare: () => pair("records", "bare", floorScenario),
    bufferFloor: () => pair("buffer", "safe", floorScenario),
    bufferBare: () => pair("buffer", "bare", floorScenario),
  }),
};
const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const loads = [];
try {
  for (let round = 0; round < RUNS; round++) {
    loads.push(loadavg()[0]);
    for (const [name, run] of Object.entries(cases)) results[name].push(await run());
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, medians(v)]));
const s = (ms) => (ms / 1000).toFixed(2);
const ratio = (before, after) => `${(before / after).toFixed(1)}×`;
const load = loads.reduce((a, b) => a + b, 0) / loads.length;

out(`Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, median of ${RUNS} interleaved rounds, load average ${load.toFixed(1)} while it ran${opts.realtime ? " (each process at real-time priority)" : ""}.`);
out();
out("| workload | default | v8 serializer (former default) | speed-up | target | met |");
out("|---|---:|---:|---:|---:|---|");
const row = (label, after, before, target) => out(`| ${label} | ${s(after)} s | ${s(before)} s | ${ratio(before, after)} | ≤ ${target} s | ${after / 1000 <= target ? "yes" : "no"} |`);
row("1,000,000 records: write + read back in one process", m.records.both, m.recordsV8.both, 1.2);
row("1,000,000 records: read back in a new process", m.records.read, m.recordsV8.read, 0.5);
row("100 MB Buffer: write + read back in one process", m.buffer.both, m.bufferV8.both, 0.3);
row("100 MB Buffer: read back in a new process", m.buffer.read, m.bufferV8.read, 0.2);
out();
out("Inside the processes (ms): the run that stores the result / `getResult()` in the same process / `getResult()` in a new one.");
out();
out("| workload | default | v8 serializer |");
out("|---|---|---|");
const inside = (r) => `${fmt(r.run)} / ${fmt(r.readSame)} / ${fmt(r.readInside)}`;
out(`| 1,000,000 records | ${inside(m.records)} | ${inside(m.recordsV8)} |`);
out(`| 100 MB Buffer | ${inside(m.buffer)} | ${inside(m.bufferV8)} |`);

if (floorScenario) floorTables(out, m);
if (!opts["no-phases"]) phaseTable(out, results.recordsPhases, m.recordsPhases);

if (beforeScenario) {
  beforeTableHead(out);
  const cmp = (label, b, n) => out(`| ${label} | ${fmt(b.wall)} | ${fmt(n.wall)} | ${(n.wall / b.wall).toFixed(2)} | ${fmt(b.cpu)} | ${fmt(n.cpu)} | ${(n.cpu / b.cpu).toFixed(2)} |`);
  const both = (r) => ({ wall: r.both, cpu: r.bothCpu });
  const read = (r) => ({ wall: r.read, cpu: r.readCpu });
  cmp("1,000,000 records: write + read back", both(m.recordsBefore), both(m.records));
  cmp("1,000,000 records: read in a new process", read(m.recordsBefore), read(m.records));
  cmp("100 MB Buffer: write + read back", both(m.bufferBefore), both(m.buffer));
  cmp("100 MB Buffer: read in a new process", read(m.bufferBefore), read(m.buffer));
}

if (!opts["no-write"]) {
  const readme = new URL("./README.md", import.meta.url);
  const text = readFileSync(readme, "utf8");
  const [head, rest] = text.split("<!-- data:start -->");
  const tail = rest?.split("<!-- data:end -->")[1];
  if (tail === undefined) throw new Error("bench/README.md lacks the <!-- data:start --> / <!-- data:end --> markers");
  writeFileSync(readme, `${head}<!-- data:start -->\n${lines.join("\n")}\n<!-- data:end -->${tail}`);
}
