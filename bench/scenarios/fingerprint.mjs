// Code fingerprints of many tasks defined in one module: a generated project whose
// `pipeline.mjs` declares N tasks (each with its own `run`, most calling a helper from a local
// module), run warm (every task cached) in a new process, with the default code fingerprint
// or with `codeHash: false`, whose difference is what fingerprinting the code costs.
//
// node scenarios/fingerprint.mjs setup <dir> <n>       writes the project
// node scenarios/fingerprint.mjs run <dir> <module|off> <phases> <store dir>
//   phases: "cold" or "warm" (expects everything cached)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { report, since } from "../lib/report.mjs";

const [command, dir, ...rest] = process.argv.slice(2);
const packages = pathToFileURL(join(import.meta.dirname, "..", "lib", "packages.mjs")).href;

if (command === "setup") {
  const n = Number(rest[0]);
  mkdirSync(join(dir, "lib"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fingerprint-bench", type: "module", imports: { "#lib/*": "./lib/*.mjs" } }));
  writeFileSync(join(dir, "lib", "rows.mjs"), "export const scale = (x) => x * 2;\nexport function parseRow(line) { return line.split(\",\").map(Number); }\n");
  let text = `import { CacacheStore, Pipeline, task, silentLogger } from ${JSON.stringify(packages)};\nimport { scale, parseRow } from "#lib/rows";\n\n`;
  text += "const codeHash = process.env.BENCH_CODE_HASH === \"off\" ? false : \"module\";\nconst offset = 1;\n\n";
  for (let i = 0; i < n; i++) {
    // Each task's process differs; most use a helper, some a module constant.
    const body = i % 3 === 0 ? `return scale(${i}) + offset;` : i % 3 === 1 ? `return parseRow("${i},${i + 1}")[0];` : `return ${i};`;
    text += `export const t${i} = task("t${i}", { codeHash, processes: { run() { ${body} } } });\n`;
  }
  text += `\nexport default (dir) => new Pipeline("fingerprint-bench", { store: new CacacheStore({ dir, fsync: false }), logger: silentLogger() }).add(${Array.from({ length: n }, (_, i) => `t${i}`).join(", ")});\n`;
  writeFileSync(join(dir, "pipeline.mjs"), text);
  report({});
} else {
  const [mode, phases, storeDir] = rest;
  process.env.BENCH_CODE_HASH = mode;
  const start = performance.now();
  const { default: make } = await import(pathToFileURL(join(dir, "pipeline.mjs")).href);
  const pipeline = make(storeDir);
  const figures = { load: since(start) };
  // The code fingerprints alone, before the run (which then reuses them): what they add.
  // CPU time as well as wall time: on a loaded machine it is the steadier figure.
  const tasks = pipeline.tasks;
  const f = performance.now();
  const cpu = process.cpuUsage();
  for (const task of tasks) task.codeDigest();
  const used = process.cpuUsage(cpu);
  figures.fingerprints = since(f);
  figures.fingerprintsCpu = Math.round((used.user + used.system) / 100) / 10;
  for (const phase of phases.split(",")) {
    const t = performance.now();
    const summary = await pipeline.execute();
    figures[phase] = since(t);
    const expected = phase === "cold" ? summary.totals.executed : summary.totals.cached;
    if (expected !== pipeline.ntasks || !summary.ok) throw new Error(`${phase} run: ${JSON.stringify(summary.totals)}`);
  }
  await pipeline.close();
  report(figures);
}
