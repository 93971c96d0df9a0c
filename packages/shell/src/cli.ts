#!/usr/bin/env node
// The command line as a script of this package, for its tests. The installed `lp` bin
// (with its aliases) is declared once, by the little-pipelines package.
import { runCli } from "./index.js";

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
