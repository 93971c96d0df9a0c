// The tables that set the big-result rows beside their floors (scenarios/data-floor.mjs): the
// same work done by bare Node, so that each figure splits into the work itself and what the
// library adds.
import { fmt } from "./measure.mjs";

const s = (ms) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(2)} s`);
const diff = (ours, floor) =>
  ours === undefined || floor === undefined ? "–" : `${ours >= floor ? "+" : "−"}${(Math.abs(ours - floor) / 1000).toFixed(2)} s`;
const cpu = (...runs) => runs.map((ms) => (ms === undefined ? "–" : (ms / 1000).toFixed(2))).join(" / ");

// The phases a floor process times, in the order it runs them.
const PHASES = [
  ["built", "built (from process start)"],
  ["check", "check"],
  ["flatten", "flatten"],
  ["pack", "pack"],
  ["sha256", "sha256"],
  ["decode", "decode"],
  ["write", "write"],
  ["writeWait", "waited for the write"],
  ["durable", "rename + folder sync"],
];
const phases = (r, names = PHASES, prefix = "phase.") =>
  names
    .filter(([k]) => r[prefix + k] !== undefined)
    .map(([k, label]) => `${label} ${fmt(r[prefix + k])}`)
    .join(" · ");
const READ_PHASES = [
  ["readFile", "read"],
  ["readHashed", "read + sha256, overlapped"],
  ["decode", "decode"],
];

/**
 * Prints the floor table and the floors' phases.
 * @param out - prints one line
 * @param m - medians by case: records, buffer (ours) and recordsFloor, recordsBare, bufferFloor, bufferBare
 */
export function floorTables(out, m) {
  out();
  out(
    "The floor: the same work by bare Node with no little-pipelines code (`scenarios/data-floor.mjs`), in the same rounds. " +
      "*Safe*: the records checked (the smallest walk that tells whether MessagePack carries them exactly) and packed by msgpackr with core's options; " +
      "the body written in one `O_DSYNC` write while it is hashed (sha256) and decoded for the reader, then renamed to its digest and the folder synced; " +
      "read in a new process: read in 4 MiB pieces, each hashed while the next is read, then decoded. *Bare*: no check (a pass only flattens the strings), no sha256, no sync. Whole process; CPU is user + system.",
  );
  out();
  out("| workload | ours (defaults) | safe floor | ours − safe floor | bare floor | ours − bare floor | CPU s: ours / safe / bare |");
  out("|---|---:|---:|---:|---:|---:|---:|");
  const row = (label, field, cpuField, ours, safe, bare) =>
    out(
      `| ${label} | ${s(ours[field])} | ${s(safe[field])} | ${diff(ours[field], safe[field])} | ${s(bare[field])} | ${diff(ours[field], bare[field])} | ${cpu(ours[cpuField], safe[cpuField], bare[cpuField])} |`,
    );
  row("1,000,000 records: write + read back in one process", "both", "bothCpu", m.records, m.recordsFloor, m.recordsBare);
  row("1,000,000 records: read back in a new process", "read", "readCpu", m.records, m.recordsFloor, m.recordsBare);
  row("100 MB Buffer: write + read back in one process", "both", "bothCpu", m.buffer, m.bufferFloor, m.bufferBare);
  row("100 MB Buffer: read back in a new process", "read", "readCpu", m.buffer, m.bufferFloor, m.bufferBare);
  out();
  out(
    "Inside the floors' write + read back processes (ms, medians): the write runs on libuv's thread from its start to its return, while this thread hashes and decodes.",
  );
  out();
  out("| workload | safe floor | bare floor |");
  out("|---|---|---|");
  out(`| 1,000,000 records | ${phases(m.recordsFloor)} | ${phases(m.recordsBare)} |`);
  out(`| 100 MB Buffer | ${phases(m.bufferFloor)} | ${phases(m.bufferBare)} |`);
  const read = (r) => phases(r, READ_PHASES, "readPhase.");
  out(`| 1,000,000 records, read in a new process | ${read(m.recordsFloor)} | ${read(m.recordsBare)} |`);
  out(`| 100 MB Buffer, read in a new process | ${read(m.bufferFloor)} | ${read(m.bufferBare)} |`);
}

/**
 * Prints where our records row goes, from the probed processes (bench/lib/phase-probe.mjs).
 * @param runs - each probed process's phases, by name; their order is the first run's
 * @param m - the medians of each phase
 */
export function phaseTable(out, runs, m) {
  const names = Object.keys(runs[0] ?? {}).filter((k) => k !== "wall" && !k.startsWith("gc:"));
  if (names.length === 0) return;
  out();
  out(
    `Where our 1,000,000-records write + read back goes, inside the process (\`bench/lib/phase-probe.mjs\` timing the public entry points; medians of ${runs.length} probed processes in the same rounds, ${s(m.wall)} whole process):`,
  );
  out();
  out("| phase | ms | of it, garbage collection |");
  out("|---|---:|---:|");
  for (const name of names) out(`| ${name} | ${fmt(m[name])} | ${fmt(m[`gc:${name}`])} |`);
}
