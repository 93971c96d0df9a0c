#!/usr/bin/env node
// The `lp` command, so that installing the umbrella alone gives it.
import { runCli } from "@lp/shell";

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
