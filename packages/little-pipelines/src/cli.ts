#!/usr/bin/env node
// The one `lp` bin, also installed as `lpipe` and `little-pipelines` for systems where `lp`
// is the POSIX print command.
import { runCli } from "@lp/shell";

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
