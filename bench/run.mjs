// Benchmarks of little-pipelines on the cacache store and the in-memory store.
// Every figure is the median of several whole-process runs; the cases of one table run
// interleaved (one of each, then again), so that their ratios compare like with like.
//
//   pnpm build && node bench/run.mjs [--runs 5] [--only tasks,fingerprint,example1,big,records,cpu,map] [--sizes 100,1000,10000] [--no-write]
//
// Figures go to stdout and, unless --no-write, into bench/README.md between its markers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fmt, medians, runScenario } from "./lib/measure.mjs";

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    only: { type: "string", default: "tasks,fingerprint,example1,big,records,cpu,map" },
    sizes: { type: "string", default: "100,1000,10000" },
    "no-write": { type: "boolean", default: false },
  },
});
const RUNS = Number(opts.runs);
const only = new Set(opts.only.split(","));
const sizes = opts.sizes.split(",").map(Number);
const scratch = mkdtempSync(join(tmpdir(), "lp-bench-"));
const freshDir = () => mkdtempSync(join(scratch, "d-"));
const lines = [];
const out = (line = "") => {
  lines.push(line);
  console.log(line);
};

/** Runs each case once per round, RUNS rounds, and returns the medians per case. */
async function interleaved(cases) {
  const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const [name, run] of Object.entries(cases)) results[name].push(await run());
  }
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, medians(v)]));
}

async function startup() {
  const m = await interleaved({ startup: () => runScenario("startup", []), sync: () => runScenario("fsync-probe", [freshDir()]) });
  out(`Node start-up plus loading the built packages: **${fmt(m.startup.wall)} ms**. One \`fdatasync\` of a small record: **${m.sync.inPlace} ms** written in place (as the journal does), ${m.sync.appending} ms appending (medians of ${RUNS}).`);
  out();
}

async function tasks() {
  const rows = [];
  for (const n of sizes) {
    for (const shape of ["chain", "fan"]) {
      const warmDir = freshDir();
      await runScenario("tasks", ["cacache", shape, n, warmDir, "cold"]);
      const m = await interleaved({
        memory: () => runScenario("tasks", ["memory", shape, n, "-", "cold"]),
        memoryBoth: () => runScenario("tasks", ["memory", shape, n, "-", "cold,warm"]),
        cold: () => runScenario("tasks", ["cacache", shape, n, freshDir(), "cold"]),
        both: () => runScenario("tasks", ["cacache", shape, n, freshDir(), "cold,warm"]),
        nosync: () => runScenario("tasks", ["cacache-nosync", shape, n, freshDir(), "cold"]),
        warm: () => runScenario("tasks", ["cacache", shape, n, warmDir, "warm"]),
      });
      rows.push({ n, shape, m });
    }
  }
  const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : "–");
  const label = (r) => `| ${r.n.toLocaleString("en")} | ${r.shape} |`;
  out("### No-op tasks");
  out();
  out("Whole process, ms: start-up, building the pipeline, the run, exit. Warm: every task cached, in a new process.");
  out();
  out("| tasks | shape | memory cold | cacache cold | cacache cold, `fsync: false` | cacache warm |");
  out("|---:|---|---:|---:|---:|---:|");
  for (const r of rows) out(`${label(r)} ${fmt(r.m.memory.wall)} | ${fmt(r.m.cold.wall)} | ${fmt(r.m.nosync.wall)} | ${fmt(r.m.warm.wall)} |`);
  out();
  out("`execute()` alone, ms, measured inside the process. The in-memory store can only be warm in the process that filled it, so");
  out("warm is compared on a second run in the same process for both stores; the last column is cacache's warm run in a new process.");
  out();
  out("| tasks | shape | memory cold | cacache cold | ratio | `fsync: false` | ratio | memory warm | cacache warm | ratio | cacache warm, new process |");
  out("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const { m, ...r } of rows) {
    out(
      `${label(r)} ${fmt(m.memoryBoth.cold)} | ${fmt(m.cold.cold)} | ${ratio(m.cold.cold, m.memoryBoth.cold)} | ${fmt(m.nosync.cold)} | ${ratio(m.nosync.cold, m.memoryBoth.cold)} | ` +
        `${fmt(m.memoryBoth.warm)} | ${fmt(m.both.warm)} | ${ratio(m.both.warm, m.memoryBoth.warm)} | ${fmt(m.warm.warm)} |`,
    );
  }
  out();
}

async function fingerprint() {
  const n = 10_000;
  const project = freshDir();
  await runScenario("fingerprint", ["setup", project, n]);
  const stores = { module: freshDir(), off: freshDir() };
  // Cold runs fill each store and the code cache; the measured runs are all warm.
  for (const mode of ["module", "off"]) await runScenario("fingerprint", ["run", project, mode, "cold", stores[mode]]);
  const m = await interleaved({
    module: () => runScenario("fingerprint", ["run", project, "module", "warm", stores.module]),
    off: () => runScenario("fingerprint", ["run", project, "off", "warm", stores.off]),
  });
  out("### Code fingerprints");
  out();
  out(`${n.toLocaleString("en")} tasks defined in one generated module, each with its own \`run\` (two in three call a helper imported through \`#lib/rows\`), warm (every task cached) in a new process. Fingerprints: computing every task's code fingerprint (the run then reuses them), ms of CPU and of wall time inside the process; \`codeHash: false\` is the same pipeline without code fingerprints.`);
  out();
  out("| code fingerprint | fingerprints, CPU | fingerprints, wall | `execute()` | whole process |");
  out("|---|---:|---:|---:|---:|");
  out(`| default (\`codeHash: "module"\`) | ${fmt(m.module.fingerprintsCpu)} | ${fmt(m.module.fingerprints)} | ${fmt(m.module.warm)} | ${fmt(m.module.wall)} |`);
  out(`| \`codeHash: false\` | ${fmt(m.off.fingerprintsCpu)} | ${fmt(m.off.fingerprints)} | ${fmt(m.off.warm)} | ${fmt(m.off.wall)} |`);
  out();
}

async function example1() {
  const home = freshDir();
  await runScenario("example1", [home]);
  const m = await interleaved({
    cold: () => runScenario("example1", [freshDir()]),
    warm: () => runScenario("example1", [home]),
  });
  out("### Example 1");
  out();
  out("Whole process, ms. The tasks sleep as in `examples/example-1` (TaskTwo 2.5 s); warm re-runs TaskThree (300 ms), which expires on completion.");
  out();
  out("| cold | warm | warm: tasks executed |");
  out("|---:|---:|---:|");
  out(`| ${fmt(m.cold.wall)} | ${fmt(m.warm.wall)} | ${m.warm.executed} |`);
  out();
}

/** Writes back dirty pages, so that a big write is not measured against the previous one's write-back. */
const settleDisk = () => spawnSync("sync");

async function big() {
  const pair = async (write, read) => {
    const dir = freshDir();
    settleDisk();
    const w = await runScenario("big-buffer", [dir, ...write]);
    const r = await runScenario("big-buffer", [dir, ...read]);
    rmSync(dir, { recursive: true, force: true });
    return { write: w.ms, writeRate: w.mbPerS, read: r.ms, readRate: r.mbPerS, wallWrite: w.wall, wallRead: r.wall };
  };
  const m = await interleaved({
    storeWrite: () => pair(["store-write"], ["store-read"]),
    pipelineBytes: () => pair(["pipeline-write", "bytes"], ["pipeline-read", "bytes"]),
    pipelineV8: () => pair(["pipeline-write", "v8"], ["pipeline-read", "v8"]),
  });
  out("### A 100 MB Buffer");
  out();
  out("Inside the process: the write is `store.put` (synced to disk) or the run whose task returns the Buffer; the read is `open()` + `get` (verified against its digest) or `getResult()` in a new process. Whole process in the last two columns.");
  out();
  out("| level | write ms | write MB/s | read ms | read MB/s | write process | read process |");
  out("|---|---:|---:|---:|---:|---:|---:|");
  const row = (label, r) => out(`| ${label} | ${fmt(r.write)} | ${fmt(r.writeRate)} | ${fmt(r.read)} | ${fmt(r.readRate)} | ${fmt(r.wallWrite)} | ${fmt(r.wallRead)} |`);
  row("store: put / get", m.storeWrite);
  row("pipeline, bytes serializer (how the default stores a Buffer)", m.pipelineBytes);
  row("pipeline, v8 serializer (the former default)", m.pipelineV8);
  out();
}

async function records() {
  const m = await interleaved({
    roundTrip: async () => {
      const dir = freshDir();
      settleDisk();
      const w = await runScenario("records", [dir, "write"]);
      const r = await runScenario("records", [dir, "read"]);
      rmSync(dir, { recursive: true, force: true });
      return { write: w.ms, read: r.ms, total: w.ms + r.ms, wallWrite: w.wall, wallRead: r.wall };
    },
  });
  out("### 1,000,000 small records");
  out();
  out("`{ id, name, value, ok }` × 1,000,000 returned by a task (default serializer: MessagePack), read back with `getResult()` in a new process. Inside the process, ms.");
  out();
  out("| write (serialize + store) | read (load + verify + deserialize) | round trip | write process | read process |");
  out("|---:|---:|---:|---:|---:|");
  const r = m.roundTrip;
  out(`| ${fmt(r.write)} | ${fmt(r.read)} | ${fmt(r.total)} | ${fmt(r.wallWrite)} | ${fmt(r.wallRead)} |`);
  out();
}

async function cpu() {
  const rows = 120_000;
  const table = [];
  for (const n of [2, 8]) {
    const m = await interleaved({
      inProcess: () => runScenario("cpu", ["in-process", n, rows]),
      threads: () => runScenario("cpu", ["threads", n, rows]),
      probe: () => runScenario("parallel-probe", []),
    });
    table.push({ n, m });
  }
  out("### CPU-bound tasks: in process and on worker threads");
  out();
  out(`Each task generates a CSV shard of ${rows.toLocaleString("en")} rows, parses it, adds up amounts and hashes every row (about a second of work); in-memory store. \`execute()\` alone and the whole process, ms; threads: one per core (${table[0]?.m.threads.threads}), started by the run.`);
  out();
  out("| tasks | in process | threads | speed-up | in process, whole process | threads, whole process | speed-up |");
  out("|---:|---:|---:|---:|---:|---:|---:|");
  const x = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : "–");
  for (const { n, m } of table) {
    out(`| ${n} | ${fmt(m.inProcess.run)} | ${fmt(m.threads.run)} | ${x(m.inProcess.run, m.threads.run)} | ${fmt(m.inProcess.wall)} | ${fmt(m.threads.wall)} | ${x(m.inProcess.wall, m.threads.wall)} |`);
  }
  out();
  const ceilings = table.map(({ m }) => m.probe.ratio.toFixed(2));
  out(`The machine's ceiling in the same minutes: two bare worker threads doing the same hashing ran ${ceilings.join("× and ")}× as fast as one after the other (\`scenarios/parallel-probe.mjs\`; 2.0× on two idle cores).`);
  out();
}

async function map() {
  const n = 10_000;
  const rows = [];
  for (const kind of ["cacache", "memory"]) {
    if (kind === "memory") {
      // The in-memory store is empty in a new process: only a cold run is meaningful.
      const m = await interleaved({ cold: () => runScenario("map", ["memory", n, "-", "cold"]) });
      rows.push(`| memory | ${fmt(m.cold.wall)} | ${fmt(m.cold.run)} | – | – | – | – |`);
      continue;
    }
    const home = freshDir();
    await runScenario("map", [kind, n, home, "cold"]);
    const m = await interleaved({
      cold: () => runScenario("map", [kind, n, freshDir(), "cold"]),
      warm: () => runScenario("map", [kind, n, home, "warm"]),
      addOne: () => {
        // Each measurement adds one element to the same 10,000: copy the warm store first.
        const dir = freshDir();
        spawnSync("cp", ["-a", `${home}/.`, dir]);
        return runScenario("map", [kind, n, dir, "add-one"]);
      },
    });
    rows.push(`| cacache | ${fmt(m.cold.wall)} | ${fmt(m.cold.run)} | ${fmt(m.warm.wall)} | ${fmt(m.warm.run)} | ${fmt(m.addOne.wall)} | ${fmt(m.addOne.run)} |`);
  }
  const boot = await interleaved({ startup: () => runScenario("startup", []) });
  out("### A task mapped over 10,000 items");
  out();
  out(
    "`scenarios/map.mjs`: `Items` returns 10,000 numbers and `Doubled` is mapped over it (one branch per number). Cold: every branch runs and is stored. Warm: the same list in a new process, nothing runs. Add one: a list of 10,001 in a new process on a copy of the warm store: exactly one branch runs (the scenario checks the counts). Whole process and `execute()` alone, ms.",
  );
  out();
  out("| store | cold, process | cold, `execute()` | warm, process | warm, `execute()` | add one, process | add one, `execute()` |");
  out("|---|---:|---:|---:|---:|---:|---:|");
  for (const row of rows) out(row);
  out();
  out(`Start-up in the same minutes (Node plus the built packages, nothing run): ${fmt(boot.startup.wall)} ms.`);
  out();
}

try {
  out(`Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${RUNS} runs per figure.`);
  out();
  await startup();
  if (only.has("tasks")) await tasks();
  if (only.has("fingerprint")) await fingerprint();
  if (only.has("example1")) await example1();
  if (only.has("big")) await big();
  if (only.has("records")) await records();
  if (only.has("cpu")) await cpu();
  if (only.has("map")) await map();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (!opts["no-write"]) {
  const readme = new URL("./README.md", import.meta.url);
  const text = readFileSync(readme, "utf8");
  const [head, rest] = text.split("<!-- figures:start -->");
  const tail = rest?.split("<!-- figures:end -->")[1];
  if (tail === undefined) throw new Error("bench/README.md lacks the <!-- figures:start --> / <!-- figures:end --> markers");
  writeFileSync(readme, `${head}<!-- figures:start -->\n${lines.join("\n")}\n<!-- figures:end -->${tail}`);
}
