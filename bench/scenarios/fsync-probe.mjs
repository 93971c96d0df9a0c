// The disk's sync latency right now: 300 small records written in place into a
// preallocated file, each followed by fdatasync (as the journal does), and the same
// appending to a growing file. Every cold run of a chain pays one such sync per task.
// node scenarios/fsync-probe.mjs <dir>
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { report } from "../lib/report.mjs";

const [dir] = process.argv.slice(2);
const record = Buffer.alloc(400, 1);
const N = 300;
const time = (file, inPlace) => {
  const fd = openSync(file, "w");
  if (inPlace) {
    writeSync(fd, Buffer.alloc(N * record.length));
    fdatasyncSync(fd);
  }
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    writeSync(fd, record, 0, record.length, i * record.length);
    fdatasyncSync(fd);
  }
  const perSync = (performance.now() - start) / N;
  closeSync(fd);
  rmSync(file);
  return Math.round(perSync * 1000) / 1000;
};
report({ inPlace: time(join(dir, "in-place"), true), appending: time(join(dir, "appending"), false) });
