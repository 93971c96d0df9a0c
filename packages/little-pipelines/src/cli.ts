#!/usr/bin/env node
// The one `lp` bin, also installed as `lpipe` and `little-pipelines` for systems where `lp`
// is the POSIX print command.
import { lpMain } from "@lp/shell";

void lpMain(process.argv.slice(2));
